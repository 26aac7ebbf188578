// Checks of module arguments that reach a host. Every value travels as one
// single-quoted shell word or an environment variable; what cannot travel
// that way (a NUL byte), and names that commands would read as options or
// patterns, are refused here with an error naming the argument. Private to
// src/modules.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

#include "fleetk8s/core/result.h"
#include "fleetk8s/core/value.h"

namespace fleetk8s::modules {

// `value` as an error message shows it: control and non-ASCII bytes as
// \xHH, cut after 60 characters.
std::string shown(const std::string& value);

// An error when a string in `args` (arrays and objects included) holds a
// NUL byte, which no shell word can carry; keys in `except` are exempt
// (copy sends its content base64-encoded).
Result<void> no_nul(const Value::Object& args, std::initializer_list<std::string_view> except = {});

// An error unless `value` is non-empty, made of ASCII letters, digits and
// the characters in `extra` only, and does not start with '-'. `what`
// names the kind of name in the message ("a kernel module name").
Result<void> check_name(const std::string& key, const std::string& value, std::string_view extra,
                        std::string_view what);

// An error when `value` holds a line break or another control character
// (tab allowed): values that end up as one line of a configuration file.
Result<void> one_line(const std::string& key, const std::string& value);

}  // namespace fleetk8s::modules
