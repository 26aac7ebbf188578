// The YAML inventory reader (and so the yaml module), then what callers do
// with its result.
#include "fleetk8s/inventory/inventory.h"
#include "fleetk8s/yaml/node.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, size_t size) {
  std::string_view text = fleetk8s_fuzz::text(data, size);
  if (auto node = fleetk8s::yaml::parse(text, "fuzz.yml"); node.ok()) (void)fleetk8s::yaml::to_value(*node);
  auto inv = fleetk8s::inventory::Inventory::parse_yaml(text, "fuzz.yml");
  if (!inv.ok()) return 0;
  for (const auto& host : inv->host_names()) (void)inv->host_vars(host);
  (void)inv->to_ansible_list().to_json();
  return 0;
}
