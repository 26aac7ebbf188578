// Host patterns: the ranges of an inventory's host entries ("web[01:10]"),
// and the patterns of `hosts:` and --limit ("web:&prod:!web[0:2]",
// "~regex") selecting from a small inventory.
#include <cstdlib>

#include "fleetk8s/inventory/inventory.h"
#include "fleetk8s/inventory/pattern.h"
#include "fuzz_input.h"
#include "host_range.h"

namespace {

const fleetk8s::inventory::Inventory& inventory() {
  static const auto inv = [] {
    auto r = fleetk8s::inventory::Inventory::parse_ini(
        "cp1\n[web]\nweb[01:05]\n[db]\ndb-[a:c] ansible_port=2222\n[prod:children]\nweb\ndb\n"
        "[all:vars]\nx=1\n",
        "fuzz.ini");
    if (!r.ok()) std::abort();
    return std::move(*r);
  }();
  return inv;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, size_t size) {
  std::string_view text = fleetk8s_fuzz::text(data, size);
  (void)fleetk8s::inventory::expand_host_entry(text);
  (void)fleetk8s::inventory::parse_host_pattern(text);
  (void)inventory().select(text);
  return 0;
}
