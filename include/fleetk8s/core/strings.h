// Small string helpers used everywhere; ASCII only, no locale.
// Whitespace is C's isspace in the "C" locale: space, \t, \n, \v, \f, \r
// (what Python's str.strip() removes from ASCII text).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace fleetk8s {

// `s` without leading and trailing whitespace.
std::string_view trim_view(std::string_view s);
std::string trim(std::string_view s);

// `s` with A-Z turned into a-z; every other byte unchanged.
std::string to_lower(std::string_view s);

// The parts of `s` between `sep`s, each trimmed; empty parts are kept
// ("a, ,b" -> "a", "", "b"; "" -> one empty part).
std::vector<std::string> split_trimmed(std::string_view s, char sep);

// `parts` with `sep` between them ("a, b, c").
std::string join(const std::vector<std::string>& parts, std::string_view sep);

// POSIX shell quoting: `s` as one single-quoted word, whatever it holds
// ('it'\''s'). Always quoted, so the result is safe after any command word.
std::string shell_quote(std::string_view s);

}  // namespace fleetk8s
