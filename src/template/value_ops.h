// Python semantics of Jinja's operators on Values: truthiness, equality
// (1 == 1.0 == True), ordering, membership and arithmetic, with Python's
// error messages ("unsupported operand type(s) for +: 'int' and 'str'").
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "fleetk8s/core/result.h"
#include "fleetk8s/core/value.h"

namespace fleetk8s::tmpl::detail {

// The longest string (bytes) and list (items) that operators and builtins
// build from a count or width they are given ('-' * n, indent(n), range(n)):
// a typo or a hostile value gives an error instead of exhausting the
// controller's memory, where Python would try and raise MemoryError.
inline constexpr size_t kMaxBuiltString = size_t{16} << 20;
inline constexpr size_t kMaxBuiltList = 1'000'000;

enum class BinaryOp { kAdd, kSub, kMul, kDiv, kFloorDiv, kMod, kPow };

bool truthy(const Value& v);

// ==, with numbers (bools included) compared by value.
bool py_equal(const Value& a, const Value& b);

// <0, 0, >0 for a < b, a == b, a > b; an error for unorderable types, whose
// message names `op` ("'<' not supported between instances of 'str' and 'int'").
Result<int> py_compare(const Value& a, const Value& b, std::string_view op);

// `needle in haystack` (list item, dict key, substring).
Result<bool> py_contains(const Value& haystack, const Value& needle);

// a OP b. Integer overflow is an error (Python would switch to big ints).
Result<Value> arithmetic(BinaryOp op, const Value& a, const Value& b);

// The operator as written, for messages.
const char* op_symbol(BinaryOp op);

// Python's printf-style formatting, fmt % args. `mapping` is the right
// operand when it is a dict (for "%(name)s" fields), else nullptr.
Result<std::string> py_format(const std::string& fmt, const std::vector<const Value*>& args,
                              const Value* mapping);

}  // namespace fleetk8s::tmpl::detail
