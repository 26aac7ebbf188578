// UTF-8 helpers: Python strings count and index code points, not bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fleetk8s/core/text.h"

namespace fleetk8s::tmpl::detail {

using fleetk8s::append_utf8;  // core/text.h

// Number of code points (invalid bytes count as one each).
size_t utf8_length(std::string_view s);

// The string split into code points, each as its own UTF-8 string view.
std::vector<std::string_view> utf8_chars(std::string_view s);

// Decodes the code point starting at s[i] and advances i past it (an
// invalid byte decodes as itself).
std::uint32_t next_code_point(std::string_view s, size_t& i);

}  // namespace fleetk8s::tmpl::detail
