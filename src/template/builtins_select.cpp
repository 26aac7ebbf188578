// Filters that apply another filter, test or attribute to every item: map,
// select, reject, selectattr, rejectattr.
#include "access.h"
#include "builtin_util.h"
#include "value_ops.h"

namespace fleetk8s::tmpl::detail {
namespace {

// The builtin named by rest[at], which must be a string.
Result<const Builtin*> named(const Call& c, size_t at, bool is_filter) {
  const Value& name = c.rest[at].value();
  if (!name.is_string()) return wrong_type(c, is_filter ? "a filter name" : "a test name", name);
  const Builtin* b = is_filter ? find_filter(name.as_string()) : find_test(name.as_string());
  if (!b) return c.fail(std::string("unknown ") + (is_filter ? "filter" : "test") + " '" + name.as_string() + "'");
  return b;
}

std::vector<Operand> borrowed_rest(const Call& c, size_t from) {
  std::vector<Operand> args;
  for (size_t i = from; i < c.rest.size(); ++i) args.push_back(Operand::borrow(c.rest[i].value()));
  return args;
}

Result<Operand> map(Call& c) {
  auto items = iterate(c.input.value());
  if (!items) return c.fail(items.error().message());
  Value::Array out;
  out.reserve(items->items().size());
  if (const Value* attribute = c.arg(0)) {
    if (!c.rest.empty()) return c.fail("takes either a filter name or attribute=, not both");
    for (const auto& item : items->items()) {
      Operand v = get_by_attribute(Operand::borrow(item), *attribute);
      if (!v.is_defined()) {
        if (!c.arg(1)) return c.fail(v.undefined().message);
        v = Operand::borrow(*c.arg(1));
      }
      out.push_back(std::move(v).take());
    }
    return own(Value(std::move(out)));
  }
  if (c.rest.empty()) return c.fail("requires a filter name or attribute=");
  auto filter = named(c, 0, true);
  if (!filter) return filter.error();
  for (const auto& item : items->items()) {
    auto v = call_filter(**filter, Operand::borrow(item), borrowed_rest(c, 1));
    if (!v) return c.fail(v.error().message());
    if (!v->is_defined()) return c.fail(v->undefined().message);
    out.push_back(std::move(*v).take());
  }
  return own(Value(std::move(out)));
}

// select / reject / selectattr / rejectattr: `attribute` says whether the
// first argument names an attribute; `keep` is what the test must say.
Result<Operand> select_items(Call& c, bool by_attribute, bool keep) {
  auto items = iterate(c.input.value());
  if (!items) return c.fail(items.error().message());
  size_t test_at = by_attribute ? 1 : 0;
  if (by_attribute && c.rest.empty()) return c.fail("requires an attribute name");
  const Builtin* test = nullptr;
  if (c.rest.size() > test_at) {
    auto found = named(c, test_at, false);
    if (!found) return found.error();
    test = *found;
  }
  Value::Array out;
  for (const auto& item : items->items()) {
    Operand subject = Operand::borrow(item);
    if (by_attribute) subject = get_by_attribute(std::move(subject), c.rest[0].value());
    bool holds;
    if (test) {
      auto r = call_test(*test, std::move(subject), borrowed_rest(c, test_at + 1));
      if (!r) return c.fail(r.error().message());
      holds = *r;
    } else {
      if (!subject.is_defined()) return c.fail(subject.undefined().message);
      holds = truthy(subject.value());
    }
    if (holds == keep) out.push_back(item);
  }
  return own(Value(std::move(out)));
}

Result<Operand> select(Call& c) { return select_items(c, false, true); }
Result<Operand> reject(Call& c) { return select_items(c, false, false); }
Result<Operand> selectattr(Call& c) { return select_items(c, true, true); }
Result<Operand> rejectattr(Call& c) { return select_items(c, true, false); }

}  // namespace

void register_select_filters(Registry& r) {
  r.push_back({"map", {{"attribute", "default"}, 0, 0, true}, map, nullptr, false, 0, -1});
  r.push_back({"select", {{}, 0, 0, true}, select, nullptr, false, -1, 0});
  r.push_back({"reject", {{}, 0, 0, true}, reject, nullptr, false, -1, 0});
  r.push_back({"selectattr", {{}, 0, 0, true}, selectattr, nullptr, false, -1, 1});
  r.push_back({"rejectattr", {{}, 0, 0, true}, rejectattr, nullptr, false, -1, 1});
}

}  // namespace fleetk8s::tmpl::detail
