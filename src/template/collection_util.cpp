#include "collection_util.h"

#include <cmath>
#include <unordered_set>

#include "builtin_util.h"
#include "python_repr.h"

namespace fleetk8s::tmpl::detail {
namespace {

void append_key(std::string& out, const Value& v, bool ignore_case) {
  switch (v.type()) {
    case Value::Type::kNull: out += 'N'; break;
    case Value::Type::kBool: out += v.as_bool() ? "n1" : "n0"; break;
    case Value::Type::kInt: out += 'n' + std::to_string(v.as_int()); break;
    case Value::Type::kDouble: {
      double d = v.as_double();
      if (d == std::floor(d) && std::fabs(d) < 9.2e18) {
        out += 'n' + std::to_string(static_cast<std::int64_t>(d));
      } else {
        out += 'f' + py_float_repr(d);
      }
      break;
    }
    case Value::Type::kString: {
      const std::string& s = v.as_string();
      out += 's' + std::to_string(s.size()) + ':';
      out += ignore_case ? ascii_lower(s) : s;
      break;
    }
    case Value::Type::kArray:
      out += '[';
      for (const auto& item : v.as_array()) {
        append_key(out, item, false);
        out += ',';
      }
      out += ']';
      break;
    case Value::Type::kObject:
      out += '{';
      for (const auto& [key, member] : v.as_object()) {
        out += std::to_string(key.size()) + ':' + key;
        append_key(out, member, false);
        out += ',';
      }
      out += '}';
      break;
  }
}

}  // namespace

std::string canonical_key(const Value& v, bool ignore_case) {
  std::string out;
  append_key(out, v, ignore_case);
  return out;
}

Value::Array unique_items(const Value::Array& items, bool ignore_case) {
  std::unordered_set<std::string> seen;
  Value::Array out;
  for (const auto& item : items) {
    if (seen.insert(canonical_key(item, ignore_case)).second) out.push_back(item);
  }
  return out;
}

}  // namespace fleetk8s::tmpl::detail
