// Global functions: range().
#include "builtin_util.h"

namespace fleetk8s::tmpl::detail {
namespace {


Result<Operand> range(Call& c) {
  auto a = int_arg(c, 0, 0);
  if (!a) return a.error();
  auto b = int_arg(c, 1, 0);
  if (!b) return b.error();
  auto step = int_arg(c, 2, 1);
  if (!step) return step.error();
  std::int64_t start = c.arg(1) ? *a : 0, stop = c.arg(1) ? *b : *a;
  if (*step == 0) return c.fail("arg 3 must not be zero");
  Value::Array out;
  for (std::int64_t i = start; *step > 0 ? i < stop : i > stop;) {
    if (out.size() >= kMaxBuiltList) {
      return c.fail("range too big (more than " + std::to_string(kMaxBuiltList) + " items)");
    }
    out.emplace_back(i);
    if (__builtin_add_overflow(i, *step, &i)) break;  // past any stop
  }
  return own(Value(std::move(out)));
}

}  // namespace

void register_functions(Registry& r) { r.push_back({"range", {{"start", "stop", "step"}, 1}, range}); }

}  // namespace fleetk8s::tmpl::detail
