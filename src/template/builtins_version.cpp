// Ansible's version comparison, as a test (`v is version('1.27', '>=')`)
// and, for old playbooks, as a filter returning a bool; also under the old
// name version_compare.
#include "builtin_util.h"
#include "version_compare.h"

namespace fleetk8s::tmpl::detail {
namespace {

const Signature kSignature{{"version", "operator", "strict", "version_type"}, 1};

Result<bool> version(Call& c) {
  std::string value = py_str(c.input.value());
  std::string other = py_str(*c.arg(0));
  if (!truthy(c.input.value())) return c.fail("Input version value cannot be empty");
  if (other.empty()) return c.fail("Version parameter to compare against cannot be empty");
  auto op = string_arg(c, 1, "eq");
  if (!op) return op.error();
  const Value* strict = c.arg(2);
  const Value* type = c.arg(3);
  if (strict && !strict->is_null() && type && !type->is_null()) {
    return c.fail("Cannot specify both 'strict' and 'version_type'");
  }
  VersionScheme scheme = VersionScheme::kLoose;
  if (strict && truthy(*strict)) {
    scheme = VersionScheme::kStrict;
  } else if (type && !type->is_null()) {
    std::string t = py_str(*type);
    if (t == "loose") scheme = VersionScheme::kLoose;
    else if (t == "strict") scheme = VersionScheme::kStrict;
    else if (t == "semver" || t == "semantic") scheme = VersionScheme::kSemver;
    else return c.fail("Invalid version type (" + t + "). Must be one of 'loose', 'strict', 'semver', 'semantic'");
  }
  const std::string& o = *op;
  enum { kLt, kLe, kGt, kGe, kEq, kNe } which;
  if (o == "<" || o == "lt") which = kLt;
  else if (o == "<=" || o == "le") which = kLe;
  else if (o == ">" || o == "gt") which = kGt;
  else if (o == ">=" || o == "ge") which = kGe;
  else if (o == "==" || o == "=" || o == "eq") which = kEq;
  else if (o == "!=" || o == "<>" || o == "ne") which = kNe;
  else {
    return c.fail("Invalid operator type (" + o +
                  "). Must be one of '==', '=', 'eq', '<', 'lt', '<=', 'le', '>', 'gt', '>=', 'ge', '!=', '<>', 'ne'");
  }
  auto cmp = compare_versions(value, other, scheme);
  if (!cmp) return c.fail("Version comparison failed: " + cmp.error().message());
  switch (which) {
    case kLt: return *cmp < 0;
    case kLe: return *cmp <= 0;
    case kGt: return *cmp > 0;
    case kGe: return *cmp >= 0;
    case kEq: return *cmp == 0;
    case kNe: return *cmp != 0;
  }
  return false;
}

Result<Operand> version_filter(Call& c) {
  auto holds = version(c);
  if (!holds) return holds.error();
  return own(Value(*holds));
}

}  // namespace

void register_version_filters(Registry& r) {
  r.push_back({"version", kSignature, version_filter});
  r.push_back({"version_compare", kSignature, version_filter});
}

void register_version_tests(Registry& r) {
  r.push_back({"version", kSignature, nullptr, version});
  r.push_back({"version_compare", kSignature, nullptr, version});
}

}  // namespace fleetk8s::tmpl::detail
