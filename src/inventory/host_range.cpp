// A translation of expand_hostname_range() from
// ansible/plugins/inventory/__init__.py, with clearer errors and a
// begin > end range rejected instead of silently producing no hosts.
#include "host_range.h"

#include <charconv>

#include "address.h"

namespace fleetk8s::inventory {
namespace {

const std::string kLetters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

Error range_error(std::string_view range, const std::string& what) {
  return Error(ErrorKind::kInvalidInput,
               "bad host range [" + std::string(range) + "]: " + what);
}

std::optional<std::int64_t> to_number(std::string_view s) {
  std::int64_t out = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  if (s.empty() || ec != std::errc() || p != s.data() + s.size() || out < 0) return std::nullopt;
  return out;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (true) {
    size_t pos = s.find(sep, start);
    out.push_back(s.substr(start, pos - start));
    if (pos == std::string_view::npos) return out;
    start = pos + 1;
  }
}

// The values one range stands for, as text ("01", "02" or "a", "b").
Result<std::vector<std::string>> range_values(std::string_view range) {
  std::vector<std::string_view> bounds = split(range, ':');
  if (bounds.size() != 2 && bounds.size() != 3) {
    return range_error(range, "expected begin:end or begin:end:step");
  }
  std::string_view begin = bounds[0].empty() ? std::string_view("0") : bounds[0];
  std::string_view end = bounds[1];
  if (end.empty()) return range_error(range, "missing end value");
  std::int64_t step = 1;
  if (bounds.size() == 3) {
    auto s = to_number(bounds[2]);
    if (!s || *s == 0) return range_error(range, "step must be a positive number");
    step = *s;
  }
  size_t width = 0;  // zero-padding, as in [01:10]
  if (begin[0] == '0' && begin.size() > 1) {
    if (begin.size() != end.size()) {
      return range_error(range, "begin and end must have the same width when zero-padded");
    }
    width = begin.size();
  }
  std::vector<std::string> out;
  size_t b = begin.size() == 1 ? kLetters.find(begin[0]) : std::string::npos;
  size_t e = end.size() == 1 ? kLetters.find(end[0]) : std::string::npos;
  if (b != std::string::npos && e != std::string::npos) {
    if (b > e) return range_error(range, "begin must not be after end");
    for (size_t i = b; i <= e; i += static_cast<size_t>(step)) out.emplace_back(1, kLetters[i]);
    return out;
  }
  auto nb = to_number(begin);
  auto ne = to_number(end);
  if (!nb || !ne) return range_error(range, "bounds must be numbers or single letters");
  if (*nb > *ne) return range_error(range, "begin must not be greater than end");
  if ((*ne - *nb) / step >= 100000) return range_error(range, "more than 100000 hosts");
  for (std::int64_t i = *nb; i <= *ne; i += step) {
    std::string text = std::to_string(i);
    if (text.size() < width) text.insert(0, width - text.size(), '0');
    out.push_back(std::move(text));
  }
  return out;
}

}  // namespace

Result<std::vector<std::string>> expand_host_range(std::string_view pattern) {
  size_t open = pattern.find('[');
  if (open == std::string_view::npos) return std::vector<std::string>{std::string(pattern)};
  size_t close = pattern.find(']', open);
  if (close == std::string_view::npos) {
    return Error(ErrorKind::kInvalidInput,
                 "bad host range in \"" + std::string(pattern) + "\": missing ']'");
  }
  auto values = range_values(pattern.substr(open + 1, close - open - 1));
  if (!values.ok()) return values.error();
  std::vector<std::string> out;
  for (const auto& v : *values) {
    std::string name = std::string(pattern.substr(0, open)) + v + std::string(pattern.substr(close + 1));
    auto more = expand_host_range(name);
    if (!more.ok()) return more.error();
    out.insert(out.end(), more->begin(), more->end());
  }
  return out;
}

Result<HostEntry> expand_host_entry(std::string_view text) {
  HostEntry entry;
  std::string pattern(text);
  if (auto address = parse_address(text, /*allow_ranges=*/true)) {
    pattern = address->host;
    entry.port = address->port;
  }
  auto names = expand_host_range(pattern);
  if (!names.ok()) return names.error();
  entry.names = std::move(*names);
  return entry;
}

}  // namespace fleetk8s::inventory
