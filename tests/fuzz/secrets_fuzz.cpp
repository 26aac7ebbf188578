// The secret masker, through its public API only: host output masked as
// text and as a value. A first byte below 8 registers one of a few fixed
// secrets first (registration is global and lasts the whole run, so a
// fixed set keeps runs reproducible).
#include <string>

#include "fleetk8s/report/secrets.h"
#include "fuzz_input.h"

namespace {

const char* const kSecrets[] = {"hunter22",       "s3cr3t\"quoted\\pass", "abcdef.0123456789abcdef",
                                "pass word",      "kube-admin-2024",     "\xc3\xa9t\xc3\xa9-secret",
                                "line1\nline2",   "********x"};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, size_t size) {
  std::string_view text = fleetk8s_fuzz::text(data, size);
  if (!text.empty() && static_cast<unsigned char>(text[0]) < 8) {
    fleetk8s::report::add_secret(kSecrets[static_cast<unsigned char>(text[0])]);
    text.remove_prefix(1);
  }
  (void)fleetk8s::report::mask_secrets(text);
  fleetk8s::Value::Object result{{"stdout", fleetk8s::Value(std::string(text))},
                                 {std::string(text), fleetk8s::Value(fleetk8s::Value::Array{fleetk8s::Value(1)})}};
  (void)fleetk8s::report::mask_value(fleetk8s::Value(std::move(result)));
  return 0;
}
