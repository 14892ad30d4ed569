// Command pulumi-language-nodejs is a minimal Node.js language host for the
// Pulumi CLI, written for Palisade's offline toolchain.
//
// Upstream's host lives in its own Go module
// (github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3), which the
// Go module proxy reachable here does not serve at any version. This is an
// independent, much smaller implementation built only on the published
// github.com/pulumi/pulumi/sdk/v3 module. It covers what Palisade needs:
//
//   - Run: runs a Node.js program through @pulumi/pulumi/cmd/run, resolved from
//     the program's own node_modules (pulumi up/preview/destroy).
//   - RunPlugin: runs a Node.js policy pack through
//     @pulumi/pulumi/cmd/run-policy-pack (or a Node.js provider through
//     cmd/run-plugin), resolved from the pack's node_modules, with the pack
//     folder as working directory (pulumi preview --policy-pack,
//     pulumi policy analyze). A source-based provider plugin (PulumiPlugin.yaml,
//     `pulumi package add`/`get-schema`, or a program's `packages:`) may name
//     its entry module with the runtime option `main` (Palisade's: the
//     component provider in dist/components/pulumi/provider.js); without it
//     the folder itself is required, i.e. package.json's "main", as upstream does.
//   - GetRequiredPackages, GetPluginInfo, About, GetProgramDependencies,
//     InstallDependencies (npm install; for a plugin whose runtime
//     dependencies already resolve from its folder, nothing is installed),
//     Handshake, Cancel.
//
// Code generation, templates, `pulumi convert`, Bun and yarn/pnpm specifics are
// not implemented.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	pbempty "google.golang.org/protobuf/types/known/emptypb"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/version"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// exitCodeUserActionable is the exit code @pulumi/pulumi's run script uses when
// it has already printed an error the user can act on; the engine should then
// bail without printing another one.
const exitCodeUserActionable = 32

func main() {
	// The engine passes its gRPC address as the last positional argument. Older
	// CLIs also passed flags such as -tracing or -root; ignore all flags.
	var engineAddress string
	for _, a := range os.Args[1:] {
		if !strings.HasPrefix(a, "-") {
			engineAddress = a
		}
	}
	if engineAddress == "" {
		fmt.Fprintln(os.Stderr, "usage: pulumi-language-nodejs [flags] <engine-address>")
		os.Exit(2)
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// Exit when the engine goes away.
	go func() {
		if err := rpcutil.Healthcheck(ctx, engineAddress, 5*time.Minute, cancel); err != nil {
			fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: health check: %v\n", err)
		}
	}()

	cancelChannel := make(chan bool)
	go func() {
		<-ctx.Done()
		close(cancelChannel)
	}()

	h := &host{engineAddress: engineAddress}
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Cancel: cancelChannel,
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, h)
			return nil
		},
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: could not start gRPC server: %v\n", err)
		os.Exit(1)
	}
	// The engine reads the port from the first line of stdout.
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: %v\n", err)
		os.Exit(1)
	}
}

type host struct {
	pulumirpc.UnimplementedLanguageRuntimeServer
	engineAddress string
}

func (h *host) Handshake(
	ctx context.Context, req *pulumirpc.LanguageHandshakeRequest,
) (*pulumirpc.LanguageHandshakeResponse, error) {
	if req.GetEngineAddress() != "" {
		h.engineAddress = req.GetEngineAddress()
	}
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (h *host) GetPluginInfo(ctx context.Context, _ *pbempty.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version.Version}, nil
}

func (h *host) Cancel(ctx context.Context, _ *pbempty.Empty) (*pbempty.Empty, error) {
	return &pbempty.Empty{}, nil
}

func (h *host) RuntimeOptionsPrompts(
	ctx context.Context, req *pulumirpc.RuntimeOptionsRequest,
) (*pulumirpc.RuntimeOptionsResponse, error) {
	return &pulumirpc.RuntimeOptionsResponse{}, nil
}

// programDir returns the absolute program directory from the request's
// ProgramInfo, falling back to pwd.
func programDir(info *pulumirpc.ProgramInfo, pwd string) string {
	dir := info.GetProgramDirectory()
	if dir == "" {
		dir = pwd
	}
	if dir == "" {
		dir, _ = os.Getwd()
	}
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}
	return dir
}

// runtimeOptions reads the `runtime.options` of Pulumi.yaml / PulumiPolicy.yaml.
type runtimeOptions struct {
	typescript bool
	tsconfig   string
	nodeargs   []string
	// main: a plugin's entry module, relative to its folder (plugins only).
	main string
}

func parseOptions(info *pulumirpc.ProgramInfo) runtimeOptions {
	opts := runtimeOptions{typescript: true}
	m := info.GetOptions().AsMap()
	if v, ok := m["typescript"]; ok {
		switch t := v.(type) {
		case bool:
			opts.typescript = t
		case string:
			opts.typescript = t != "false"
		}
	}
	if v, ok := m["tsconfig"].(string); ok {
		opts.tsconfig = v
	}
	if v, ok := m["nodeargs"].(string); ok {
		opts.nodeargs = strings.Fields(v)
	}
	if v, ok := m["main"].(string); ok {
		opts.main = v
	}
	return opts
}

func (o runtimeOptions) env() []string {
	env := []string{"PULUMI_NODEJS_TYPESCRIPT=" + strconv.FormatBool(o.typescript)}
	if o.tsconfig != "" {
		env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+o.tsconfig)
	}
	return env
}

// resolveModuleDir finds node_modules/<module> walking up from dir, as Node's
// resolution does.
func resolveModuleDir(dir, module string) (string, error) {
	for d := dir; ; {
		candidate := filepath.Join(d, "node_modules", filepath.FromSlash(module))
		if _, err := os.Stat(candidate); err == nil {
			return candidate, nil
		}
		if _, err := os.Stat(candidate + ".js"); err == nil {
			return candidate + ".js", nil
		}
		parent := filepath.Dir(d)
		if parent == d {
			return "", fmt.Errorf("could not find %s from %s: run `npm install` there "+
				"(it needs @pulumi/pulumi as a dependency)", module, dir)
		}
		d = parent
	}
}

func nodeExecutable() (string, error) {
	node, err := exec.LookPath("node")
	if err != nil {
		return "", errors.New("could not find `node` on PATH; Node.js is required to run Node.js Pulumi programs")
	}
	return node, nil
}

func (h *host) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	dir := programDir(req.GetInfo(), req.GetPwd())
	root := req.GetInfo().GetRootDirectory()
	if root == "" {
		root = dir
	}
	entry := req.GetInfo().GetEntryPoint()
	if entry == "" {
		entry = "."
	}
	opts := parseOptions(req.GetInfo())

	node, err := nodeExecutable()
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	runScript, err := resolveModuleDir(dir, "@pulumi/pulumi/cmd/run")
	if err != nil {
		return &pulumirpc.RunResponse{
			Error: "It looks like the Pulumi SDK has not been installed: " + err.Error(),
		}, nil
	}

	args := append([]string{}, opts.nodeargs...)
	args = append(args, runScript,
		"--monitor="+req.GetMonitorAddress(),
		"--engine="+h.engineAddress,
		"--project="+req.GetProject(),
		"--stack="+req.GetStack(),
		"--pwd="+dir,
		"--root-directory="+root,
		"--parallel="+strconv.Itoa(int(req.GetParallel())),
	)
	if req.GetOrganization() != "" {
		args = append(args, "--organization="+req.GetOrganization())
	}
	if req.GetDryRun() {
		args = append(args, "--dry-run")
	}
	args = append(args, entry)
	args = append(args, req.GetArgs()...)

	config, err := json.Marshal(req.GetConfig())
	if err != nil {
		return nil, err
	}
	secretKeys := req.GetConfigSecretKeys()
	if secretKeys == nil {
		secretKeys = []string{}
	}
	secretKeysJSON, err := json.Marshal(secretKeys)
	if err != nil {
		return nil, err
	}

	cmd := exec.Command(node, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(),
		"PULUMI_CONFIG="+string(config),
		"PULUMI_CONFIG_SECRET_KEYS="+string(secretKeysJSON),
	)
	cmd.Env = append(cmd.Env, opts.env()...)
	// Like upstream, the program's output goes straight to the host's own
	// stdout/stderr, which the engine relays.
	cmd.Stdout = os.Stdout
	cmd.Stderr = os.Stderr

	if err := cmd.Run(); err != nil {
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			code := exitErr.ExitCode()
			if code == exitCodeUserActionable {
				return &pulumirpc.RunResponse{Bail: true}, nil
			}
			return &pulumirpc.RunResponse{
				Error: fmt.Sprintf("Program exited with non-zero exit code: %d", code),
			}, nil
		}
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("Problem executing program (could not run language executor): %v", err)}, nil
	}
	return &pulumirpc.RunResponse{}, nil
}

// streamSender serialises Send calls from the stdout and stderr copiers.
type streamSender struct {
	mu     sync.Mutex
	server grpc.ServerStreamingServer[pulumirpc.RunPluginResponse]
}

func (s *streamSender) send(resp *pulumirpc.RunPluginResponse) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.server.Send(resp)
}

type chunkWriter struct {
	s      *streamSender
	stderr bool
}

func (w chunkWriter) Write(p []byte) (int, error) {
	b := append([]byte(nil), p...)
	var resp *pulumirpc.RunPluginResponse
	if w.stderr {
		resp = &pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Stderr{Stderr: b}}
	} else {
		resp = &pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Stdout{Stdout: b}}
	}
	if err := w.s.send(resp); err != nil {
		return 0, err
	}
	return len(p), nil
}

// RunPlugin runs a Node.js plugin: a policy pack (kind "analyzer") through
// @pulumi/pulumi/cmd/run-policy-pack or a provider through cmd/run-plugin. The
// plugin's folder is the working directory, so @pulumi/pulumi, @pulumi/policy
// and package.json all come from the plugin's own folder (or its parents'
// node_modules).
func (h *host) RunPlugin(
	req *pulumirpc.RunPluginRequest, server grpc.ServerStreamingServer[pulumirpc.RunPluginResponse],
) error {
	dir := programDir(req.GetInfo(), req.GetPwd())
	opts := parseOptions(req.GetInfo())
	node, err := nodeExecutable()
	if err != nil {
		return status.Error(codes.FailedPrecondition, err.Error())
	}

	var script string
	var args []string
	switch req.GetKind() {
	case "analyzer":
		script, err = resolveModuleDir(dir, "@pulumi/pulumi/cmd/run-policy-pack")
		// run-policy-pack <engine-address> <program>; the CLI passes the engine
		// address in req.Args.
		args = append(append([]string{}, req.GetArgs()...), dir)
	default:
		script, err = resolveModuleDir(dir, "@pulumi/pulumi/cmd/run-plugin")
		// run-plugin <program> [args...]; the program is the folder (its
		// package.json "main") unless the runtime option `main` names a module.
		program := dir
		if opts.main != "" {
			program = filepath.Join(dir, filepath.FromSlash(opts.main))
			if _, statErr := os.Stat(program); statErr != nil {
				return status.Errorf(codes.FailedPrecondition,
					"the plugin's runtime option main names %s, which does not exist "+
						"(for Palisade: run `npm run build` first)", program)
			}
		}
		args = append([]string{program}, req.GetArgs()...)
	}
	if err != nil {
		return status.Error(codes.FailedPrecondition,
			"it looks like the plugin's dependencies are not installed: "+err.Error())
	}

	nodeArgs := append(append([]string{}, opts.nodeargs...), script)
	nodeArgs = append(nodeArgs, args...)
	cmd := exec.CommandContext(server.Context(), node, nodeArgs...)
	cmd.Dir = dir
	env := req.GetEnv()
	if len(env) == 0 {
		env = os.Environ()
	}
	cmd.Env = append(append([]string{}, env...), opts.env()...)

	sender := &streamSender{server: server}
	cmd.Stdout = chunkWriter{s: sender}
	cmd.Stderr = chunkWriter{s: sender, stderr: true}

	code := 0
	if err := cmd.Run(); err != nil {
		var exitErr *exec.ExitError
		if !errors.As(err, &exitErr) {
			return status.Errorf(codes.Internal, "running %s: %v", script, err)
		}
		code = exitErr.ExitCode()
	}
	return sender.send(&pulumirpc.RunPluginResponse{
		Output: &pulumirpc.RunPluginResponse_Exitcode{Exitcode: int32(code)},
	})
}

type packageJSON struct {
	Name            string            `json:"name"`
	Version         string            `json:"version"`
	Dependencies    map[string]string `json:"dependencies"`
	DevDependencies map[string]string `json:"devDependencies"`
	Pulumi          *struct {
		Resource bool   `json:"resource"`
		Name     string `json:"name"`
		Version  string `json:"version"`
		Server   string `json:"server"`
	} `json:"pulumi"`
}

func readPackageJSON(path string) (*packageJSON, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var p packageJSON
	if err := json.Unmarshal(b, &p); err != nil {
		return nil, err
	}
	return &p, nil
}

// installedPackages lists the package.json files directly under the nearest
// node_modules folders from dir up to the filesystem root (top level and
// @scope/ level), nearest first; a name found nearer wins.
func installedPackages(dir string) map[string]*packageJSON {
	found := map[string]*packageJSON{}
	for d := dir; ; {
		nm := filepath.Join(d, "node_modules")
		entries, _ := os.ReadDir(nm)
		for _, e := range entries {
			if !e.IsDir() && e.Type()&os.ModeSymlink == 0 {
				continue
			}
			names := []string{e.Name()}
			if strings.HasPrefix(e.Name(), "@") {
				names = nil
				scoped, _ := os.ReadDir(filepath.Join(nm, e.Name()))
				for _, s := range scoped {
					names = append(names, e.Name()+"/"+s.Name())
				}
			}
			for _, n := range names {
				if _, ok := found[n]; ok {
					continue
				}
				if p, err := readPackageJSON(filepath.Join(nm, filepath.FromSlash(n), "package.json")); err == nil {
					found[n] = p
				}
			}
		}
		parent := filepath.Dir(d)
		if parent == d {
			return found
		}
		d = parent
	}
}

// GetRequiredPackages reports the resource plugins that installed npm packages
// declare through their package.json "pulumi" block (e.g. @pulumi/kubernetes:
// {"resource": true, "name": "kubernetes", "version": "4.32.0"}).
func (h *host) GetRequiredPackages(
	ctx context.Context, req *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	dir := programDir(req.GetInfo(), "")
	var deps []*pulumirpc.PackageDependency
	for name, p := range installedPackages(dir) {
		if p.Pulumi == nil || !p.Pulumi.Resource {
			continue
		}
		pluginName := p.Pulumi.Name
		if pluginName == "" {
			pluginName = strings.TrimPrefix(strings.TrimPrefix(name, "@pulumi/"), "pulumi-")
		}
		v := p.Pulumi.Version
		if v == "" {
			v = p.Version
		}
		if v != "" && !strings.HasPrefix(v, "v") {
			v = "v" + v
		}
		deps = append(deps, &pulumirpc.PackageDependency{
			Name: pluginName, Kind: "resource", Version: v, Server: p.Pulumi.Server,
		})
	}
	sort.Slice(deps, func(i, j int) bool { return deps[i].Name < deps[j].Name })
	return &pulumirpc.GetRequiredPackagesResponse{Packages: deps}, nil
}

func (h *host) GetRequiredPlugins(
	ctx context.Context, req *pulumirpc.GetRequiredPluginsRequest,
) (*pulumirpc.GetRequiredPluginsResponse, error) {
	resp, err := h.GetRequiredPackages(ctx, &pulumirpc.GetRequiredPackagesRequest{Info: req.GetInfo()})
	if err != nil {
		return nil, err
	}
	plugins := make([]*pulumirpc.PluginDependency, 0, len(resp.Packages))
	for _, p := range resp.Packages {
		plugins = append(plugins, &pulumirpc.PluginDependency{
			Name: p.Name, Kind: p.Kind, Version: p.Version, Server: p.Server,
		})
	}
	return &pulumirpc.GetRequiredPluginsResponse{Plugins: plugins}, nil
}

func (h *host) GetProgramDependencies(
	ctx context.Context, req *pulumirpc.GetProgramDependenciesRequest,
) (*pulumirpc.GetProgramDependenciesResponse, error) {
	dir := programDir(req.GetInfo(), req.GetPwd())
	pkg, err := readPackageJSON(filepath.Join(dir, "package.json"))
	if err != nil {
		return nil, status.Errorf(codes.FailedPrecondition, "reading package.json: %v", err)
	}
	installed := installedPackages(dir)
	names := map[string]bool{}
	for n := range pkg.Dependencies {
		names[n] = true
	}
	for n := range pkg.DevDependencies {
		names[n] = true
	}
	if req.GetTransitiveDependencies() {
		for n := range installed {
			names[n] = true
		}
	}
	var deps []*pulumirpc.DependencyInfo
	for n := range names {
		v := ""
		if p, ok := installed[n]; ok {
			v = p.Version
		}
		deps = append(deps, &pulumirpc.DependencyInfo{Name: n, Version: v})
	}
	sort.Slice(deps, func(i, j int) bool { return deps[i].Name < deps[j].Name })
	return &pulumirpc.GetProgramDependenciesResponse{Dependencies: deps}, nil
}

func (h *host) About(ctx context.Context, req *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	node, err := nodeExecutable()
	if err != nil {
		return nil, status.Error(codes.FailedPrecondition, err.Error())
	}
	out, err := exec.CommandContext(ctx, node, "--version").Output()
	if err != nil {
		return nil, status.Errorf(codes.Internal, "node --version: %v", err)
	}
	return &pulumirpc.AboutResponse{
		Executable: node,
		Version:    strings.TrimPrefix(strings.TrimSpace(string(out)), "v"),
	}, nil
}

// InstallDependencies runs `npm install` in the program or plugin folder.
func (h *host) InstallDependencies(
	req *pulumirpc.InstallDependenciesRequest,
	server grpc.ServerStreamingServer[pulumirpc.InstallDependenciesResponse],
) error {
	dir := req.GetInfo().GetProgramDirectory()
	if dir == "" {
		dir = req.GetDirectory()
	}
	if req.GetIsPlugin() {
		// A plugin added by path (`pulumi package add <folder>`) is often a
		// checkout or an installed npm package whose dependencies are already
		// there: npm install would then rewrite its node_modules (or install a
		// package's devDependencies inside node_modules/<pkg>). Upstream always
		// runs the package manager; this host skips it when every runtime
		// dependency already resolves from the folder, the way Node will.
		if missing, err := missingDependencies(dir); err == nil && len(missing) == 0 {
			msg := fmt.Sprintf("dependencies of %s already resolve from its node_modules; not running npm install\n", dir)
			return server.Send(&pulumirpc.InstallDependenciesResponse{Stderr: []byte(msg)})
		}
	}
	npm, err := exec.LookPath("npm")
	if err != nil {
		return status.Error(codes.FailedPrecondition, "could not find `npm` on PATH")
	}
	var mu sync.Mutex
	send := func(stderr bool) io.Writer {
		return writerFunc(func(p []byte) (int, error) {
			mu.Lock()
			defer mu.Unlock()
			b := append([]byte(nil), p...)
			resp := &pulumirpc.InstallDependenciesResponse{Stdout: b}
			if stderr {
				resp = &pulumirpc.InstallDependenciesResponse{Stderr: b}
			}
			if err := server.Send(resp); err != nil {
				return 0, err
			}
			return len(p), nil
		})
	}
	cmd := exec.CommandContext(server.Context(), npm, "install", "--no-audit", "--no-fund")
	cmd.Dir = dir
	cmd.Stdout = send(false)
	cmd.Stderr = send(true)
	if err := cmd.Run(); err != nil {
		return status.Errorf(codes.Internal, "npm install in %s failed: %v", dir, err)
	}
	return nil
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// missingDependencies lists the package.json "dependencies" of dir (and
// @pulumi/pulumi, which runs every Node.js plugin) that do not resolve from dir.
func missingDependencies(dir string) ([]string, error) {
	pkg, err := readPackageJSON(filepath.Join(dir, "package.json"))
	if err != nil {
		return nil, err
	}
	names := []string{"@pulumi/pulumi"}
	for n := range pkg.Dependencies {
		names = append(names, n)
	}
	sort.Strings(names)
	var missing []string
	for _, n := range names {
		if _, err := resolveModuleDir(dir, n+"/package.json"); err != nil {
			missing = append(missing, n)
		}
	}
	return missing, nil
}
