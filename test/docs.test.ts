/** The README's control table and docs/controls.md are generated from the catalog and kept current. */
import { cli } from "./helpers/cli";

it("docs/controls.md and the README table match the catalog (run `npm run docs` to update)", async () => {
  const r = await cli(["docs", "--check"]);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
});
