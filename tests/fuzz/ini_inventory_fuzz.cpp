// The INI inventory reader, then what callers do with its result.
#include "fleetk8s/inventory/inventory.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, size_t size) {
  auto inv = fleetk8s::inventory::Inventory::parse_ini(fleetk8s_fuzz::text(data, size), "fuzz.ini");
  if (!inv.ok()) return 0;
  for (const auto& host : inv->host_names()) (void)inv->host_vars(host);
  (void)inv->to_ansible_list().to_json();
  return 0;
}
