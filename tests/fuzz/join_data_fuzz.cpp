// The parser of kubeadm's join output, which comes back from a host.
#include <string>

#include "fuzz_input.h"
#include "fleetk8s/orchestrator/join_data.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, size_t size) {
  std::string text(fleetk8s_fuzz::text(data, size));
  (void)fleetk8s::orchestrator::parse_join_command(text);
  (void)fleetk8s::orchestrator::parse_certificate_key(text);
  return 0;
}
