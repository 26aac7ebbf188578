// Jinja's attribute and item access on Values (x.name, x['key'], x[0],
// x[1:3]); a miss yields an Undefined whose message matches Jinja's
// ("'dict object' has no attribute 'x'", "list object has no element 5").
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "fleetk8s/core/result.h"
#include "operand.h"

namespace fleetk8s::tmpl::detail {

// base.name. An undefined base is returned as it is (chained undefined).
Operand get_attribute(Operand base, const std::string& name);

// base[key]. An undefined base is returned as it is.
Operand get_item(Operand base, const Value& key);

// A dotted path as attribute filters take it ("a.b.0": numeric parts index
// lists), as Jinja's make_attrgetter.
Operand get_path(Operand base, std::string_view path);

// What attribute filters (map, sort, selectattr, join, ...) take as
// `attribute`: a dotted path string, or an integer index.
Operand get_by_attribute(Operand base, const Value& attribute);

// base[start:stop:step] on a list or string; omitted parts are nullopt.
Result<Value> get_slice(const Value& base, std::optional<std::int64_t> start, std::optional<std::int64_t> stop,
                        std::optional<std::int64_t> step);

}  // namespace fleetk8s::tmpl::detail
