// The Python-literal reader that types INI inventory values.
#include "fuzz_input.h"
#include "python_literal.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, size_t size) {
  if (auto v = fleetk8s::inventory::python_literal(fleetk8s_fuzz::text(data, size))) (void)v->to_json();
  return 0;
}
