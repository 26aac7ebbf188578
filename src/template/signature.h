// Parameters of filters, tests, functions and methods, and the binding of
// call arguments (positional and keyword) to them, as Python binds them.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "fleetk8s/core/result.h"

namespace fleetk8s::tmpl::detail {

struct Signature {
  std::vector<std::string_view> params;  // in positional order
  size_t required = 0;                   // leading params that must be given
  size_t positional = static_cast<size_t>(-1);  // how many params may be passed by position
  bool variadic = false;                 // extra positional arguments go to `rest`
};

template <class T>
struct Bound {
  std::vector<std::optional<T>> args;  // one per parameter
  std::vector<T> rest;
};

// Binds arguments to `sig`. `callee` names it in errors ("filter 'join'").
template <class T>
Result<Bound<T>> bind(const Signature& sig, const std::string& callee, std::vector<T> positional,
                      std::vector<std::pair<std::string, T>> keywords) {
  Bound<T> out;
  out.args.resize(sig.params.size());
  size_t by_position = std::min(sig.positional, sig.params.size());
  for (size_t i = 0; i < positional.size(); ++i) {
    if (i < by_position) {
      out.args[i] = std::move(positional[i]);
    } else if (sig.variadic) {
      out.rest.push_back(std::move(positional[i]));
    } else {
      return Error(ErrorKind::kInvalidInput, callee + " takes at most " + std::to_string(by_position) +
                                                 " argument" + (by_position == 1 ? "" : "s") + ", got " +
                                                 std::to_string(positional.size()));
    }
  }
  for (auto& [key, value] : keywords) {
    size_t i = 0;
    while (i < sig.params.size() && sig.params[i] != key) ++i;
    if (i == sig.params.size()) {
      return Error(ErrorKind::kInvalidInput, callee + " got an unexpected keyword argument '" + key + "'");
    }
    if (out.args[i]) {
      return Error(ErrorKind::kInvalidInput, callee + " got multiple values for argument '" + key + "'");
    }
    out.args[i] = std::move(value);
  }
  for (size_t i = 0; i < sig.required; ++i) {
    if (!out.args[i]) {
      return Error(ErrorKind::kInvalidInput,
                   callee + " is missing its required argument '" + std::string(sig.params[i]) + "'");
    }
  }
  return out;
}

}  // namespace fleetk8s::tmpl::detail
