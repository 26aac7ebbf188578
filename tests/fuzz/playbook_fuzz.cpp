// The playbook loader (YAML, task keywords, module arguments, templates in
// them), from text. Imports resolve against a directory that does not
// exist, so no real file is read.
#include "fleetk8s/playbook/loader.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, size_t size) {
  (void)fleetk8s::playbook::parse_playbook(fleetk8s_fuzz::text(data, size),
                                           "/nonexistent-fleetk8s-fuzz/site.yml");
  return 0;
}
