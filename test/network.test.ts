import { find, loadStackConfig, runProgram, withConfig } from "./support/harness";
test("smoke", async () => {
  const rs = await runProgram("dev");
  console.log(rs.map((r) => `${r.type} ${r.name} parent=${r.parent.split("::").pop()} protect=${r.protect}`).join("\n"));
  console.log(JSON.stringify(find(rs, "ConfigMap", "kube-flannel-cfg").inputs, null, 1));
  void loadStackConfig; void withConfig;
});
