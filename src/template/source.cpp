#include "source.h"

#include <algorithm>
#include <utility>

namespace fleetk8s::tmpl::detail {

Source::Source(std::string_view text, Origin origin, bool exact, std::string path)
    : origin_(std::move(origin)), exact_(exact), path_(std::move(path)) {
  if (!exact_) return;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n') line_starts_.push_back(i + 1);
  }
}

std::string Source::place(size_t offset) const {
  int line = origin_.line > 0 ? origin_.line : 1;
  int column = origin_.column > 0 ? origin_.column : 1;
  if (exact_ && offset != kNoPos) {
    auto after = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
    auto newlines = static_cast<size_t>(after - line_starts_.begin());
    if (newlines == 0) {
      column += static_cast<int>(offset);
    } else {
      line += static_cast<int>(newlines);
      column = static_cast<int>(offset - line_starts_[newlines - 1]) + 1;
    }
  }
  std::string file = origin_.file.empty() ? "<template>" : origin_.file;
  return file + ":" + std::to_string(line) + ":" + std::to_string(column);
}

Error Source::error(size_t offset, const std::string& message) const {
  std::string text = place(offset) + ": ";
  if (!path_.empty()) text += path_ + ": ";
  return Error(ErrorKind::kInvalidInput, text + message);
}

}  // namespace fleetk8s::tmpl::detail
