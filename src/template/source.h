// Turns offsets inside a template's text into "FILE:LINE:COL" places for
// error messages.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "fleetk8s/core/result.h"
#include "fleetk8s/template/scope.h"

namespace fleetk8s::tmpl::detail {

// Offset meaning "no better position known": errors carry the origin itself.
inline constexpr size_t kNoPos = static_cast<size_t>(-1);

class Source {
 public:
  // `exact` false means offsets cannot be mapped (a string nested in a
  // larger value): every place is the origin itself, and `path` (e.g.
  // "env.PATH") is put in front of messages.
  Source(std::string_view text, Origin origin, bool exact = true, std::string path = "");

  // "FILE:LINE:COL" for a byte offset into the text.
  std::string place(size_t offset) const;

  // An kInvalidInput error "PLACE: message".
  Error error(size_t offset, const std::string& message) const;

 private:
  Origin origin_;
  bool exact_;
  std::string path_;
  std::vector<size_t> line_starts_;  // offsets just after each '\n'
};

}  // namespace fleetk8s::tmpl::detail
