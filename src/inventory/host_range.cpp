// A translation of expand_hostname_range() from
// ansible/plugins/inventory/__init__.py, with clearer errors, a begin > end
// range rejected instead of silently producing no hosts, and a limit on the
// number of names. Iterative, so a pattern with many ranges cannot exhaust
// the stack.
#include "host_range.h"

#include <charconv>
#include <cstdint>

#include "address.h"

namespace fleetk8s::inventory {
namespace {

const std::string kLetters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

Error range_error(std::string_view range, const std::string& what) {
  return Error(ErrorKind::kInvalidInput,
               "bad host range [" + std::string(range) + "]: " + what);
}

// Ansible sets no limit; a typo such as [1:1000000000] must not try to
// allocate a billion names.
constexpr std::int64_t kMaxHosts = 100000;

bool all_digits(std::string_view s) {
  return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
}

// A non-negative decimal number; nullopt for anything else.
std::optional<std::int64_t> to_number(std::string_view s) {
  std::int64_t out = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  if (!all_digits(s) || ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
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

// One [begin:end:step] range, checked but not yet expanded.
struct Range {
  bool letters = false;
  std::int64_t begin = 0;  // a number, or an index into kLetters
  std::int64_t step = 1;
  std::int64_t count = 0;  // values it stands for, at least 1
  size_t width = 0;        // zero-padding, as in [01:10]

  std::string value(std::int64_t i) const {
    std::int64_t v = begin + i * step;  // <= end: cannot overflow
    if (letters) return std::string(1, kLetters[static_cast<size_t>(v)]);
    std::string text = std::to_string(v);
    if (text.size() < width) text.insert(0, width - text.size(), '0');
    return text;
  }
};

Result<Range> parse_range(std::string_view range) {
  std::vector<std::string_view> bounds = split(range, ':');
  if (bounds.size() != 2 && bounds.size() != 3) {
    return range_error(range, "expected begin:end or begin:end:step");
  }
  std::string_view begin = bounds[0].empty() ? std::string_view("0") : bounds[0];
  std::string_view end = bounds[1];
  if (end.empty()) return range_error(range, "missing end value");
  Range r;
  if (bounds.size() == 3) {
    auto s = to_number(bounds[2]);
    if (!s || *s == 0) return range_error(range, "step must be a positive number");
    r.step = *s;
  }
  if (begin[0] == '0' && begin.size() > 1) {
    if (begin.size() != end.size()) {
      return range_error(range, "begin and end must have the same width when zero-padded");
    }
    r.width = begin.size();
  }
  size_t b = begin.size() == 1 ? kLetters.find(begin[0]) : std::string::npos;
  size_t e = end.size() == 1 ? kLetters.find(end[0]) : std::string::npos;
  std::int64_t last = 0;
  if (b != std::string::npos && e != std::string::npos) {
    if (b > e) return range_error(range, "begin must not be after end");
    r.letters = true;
    r.begin = static_cast<std::int64_t>(b);
    last = static_cast<std::int64_t>(e);
  } else {
    if (!all_digits(begin) || !all_digits(end)) return range_error(range, "bounds must be numbers or single letters");
    auto nb = to_number(begin);
    auto ne = to_number(end);
    if (!nb || !ne) return range_error(range, "bounds must be at most " + std::to_string(INT64_MAX));
    if (*nb > *ne) return range_error(range, "begin must not be greater than end");
    r.begin = *nb;
    last = *ne;
  }
  if ((last - r.begin) / r.step >= kMaxHosts) {
    return range_error(range, "more than " + std::to_string(kMaxHosts) + " hosts");
  }
  r.count = (last - r.begin) / r.step + 1;
  return r;
}

}  // namespace

Result<std::vector<std::string>> expand_host_range(std::string_view pattern) {
  // The pattern as literal text between ranges: texts[0] ranges[0] texts[1] ...
  std::vector<std::string_view> texts;
  std::vector<Range> ranges;
  std::int64_t total = 1;
  size_t pos = 0;
  for (size_t open; (open = pattern.find('[', pos)) != std::string_view::npos;) {
    size_t close = pattern.find(']', open);
    if (close == std::string_view::npos) {
      return Error(ErrorKind::kInvalidInput,
                   "bad host range in \"" + std::string(pattern) + "\": missing ']'");
    }
    auto range = parse_range(pattern.substr(open + 1, close - open - 1));
    if (!range.ok()) return range.error();
    total *= range->count;  // both at most kMaxHosts: cannot overflow
    if (total > kMaxHosts) {
      return Error(ErrorKind::kInvalidInput, "bad host range in \"" + std::string(pattern) +
                                                 "\": more than " + std::to_string(kMaxHosts) + " hosts");
    }
    texts.push_back(pattern.substr(pos, open - pos));
    ranges.push_back(*range);
    pos = close + 1;
  }
  texts.push_back(pattern.substr(pos));
  // Every combination, the leftmost range varying slowest (Ansible's order).
  std::vector<std::string> out;
  out.reserve(static_cast<size_t>(total));
  std::vector<std::int64_t> index(ranges.size(), 0);
  for (std::int64_t n = 0; n < total; ++n) {
    std::string name(texts[0]);
    for (size_t i = 0; i < ranges.size(); ++i) {
      name += ranges[i].value(index[i]);
      name += texts[i + 1];
    }
    out.push_back(std::move(name));
    for (size_t i = ranges.size(); i-- > 0;) {
      if (++index[i] < ranges[i].count) break;
      index[i] = 0;
    }
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
