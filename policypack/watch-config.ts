/**
 * The names in `--policy-pack-config`, as the Pulumi CLI sends them. The CLI passes a name that
 * matches no policy through to the pack without a word, and @pulumi/policy keeps the config to
 * itself (a policy sees only its own entry), so a misspelled control id would be silently
 * ignored. This wraps the analyzer's Configure call, only to read the names it carries; the
 * `palisade-exemptions` policy reports those that name no policy.
 *
 * Only index.ts calls this (it patches the gRPC server that PolicyPack starts): tests build the
 * policies without a server and pass the names directly.
 */
import { createRequire } from "node:module";

interface ConfigureCall {
  readonly request: { getPolicyconfigMap(): { entries(): Iterable<[string, unknown]> } };
}
type Handler = (call: ConfigureCall, callback: unknown) => unknown;
interface GrpcServerPrototype {
  addService(service: unknown, implementation: Record<string, unknown>): void;
}

export function watchPackConfigNames(onConfigure: (names: readonly string[]) => void): void {
  // The very gRPC module @pulumi/policy's server uses, wherever the package manager put it.
  const fromPolicy = createRequire(require.resolve("@pulumi/policy"));
  const grpc = fromPolicy("@grpc/grpc-js") as { Server: { prototype: GrpcServerPrototype } };
  const proto = grpc.Server.prototype;
  const addService = proto.addService;
  proto.addService = function (this: unknown, service: unknown, implementation: Record<string, unknown>): void {
    const configure = implementation["configure"];
    const wrapped =
      typeof configure !== "function"
        ? implementation
        : {
            ...implementation,
            configure: (call: ConfigureCall, callback: unknown): unknown => {
              try {
                onConfigure([...call.request.getPolicyconfigMap().entries()].map(([name]) => name));
              } catch {
                // Reading the names is a courtesy: never let it break configuration.
              }
              return (configure as Handler)(call, callback);
            },
          };
    addService.call(this, service, wrapped);
  };
}
