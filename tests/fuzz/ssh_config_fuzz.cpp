// The ssh_config parser, then a lookup as a connection does it. Includes
// resolve against an empty directory, so no real file is read.
#include "fleetk8s/sshconfig/ssh_config.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, size_t size) {
  auto config = fleetk8s::sshconfig::SshConfig::parse(fleetk8s_fuzz::text(data, size), "fuzz.conf",
                                                      "/nonexistent-fleetk8s-fuzz");
  if (!config.ok()) return 0;
  (void)config->lookup("web1.example.com", "root");
  (void)config->host_blocks();
  return 0;
}
