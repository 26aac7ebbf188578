#include "fleetk8s/report/secrets.h"

#include <algorithm>
#include <mutex>
#include <vector>

namespace fleetk8s::report {

namespace {

// Secrets learnt from their shape are capped, so hostile output printing
// endless fresh token shapes cannot make every later mask slower (they are
// still masked where their shape shows; registered ones have no cap).
constexpr size_t kMaxLearnt = 64;

class Registry {
 public:
  // Adds `secret` (non-empty) unless known, or `learnt` from its shape
  // once kMaxLearnt were.
  void add(std::string_view secret, bool learnt) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (std::find(secrets_.begin(), secrets_.end(), secret) != secrets_.end()) return;
    if (learnt && learnt_++ >= kMaxLearnt) return;
    // Longest first. (cover() marks every occurrence of each, so a secret
    // containing another is masked whole whatever the order.)
    auto at = std::find_if(secrets_.begin(), secrets_.end(), [&](const std::string& s) { return s.size() < secret.size(); });
    secrets_.insert(at, std::string(secret));
  }

  // Marks in `covered` every occurrence of every secret in `text`.
  void cover(std::string_view text, std::vector<bool>& covered) const {
    std::lock_guard<std::mutex> lock(mutex_);
    for (const auto& s : secrets_) {
      size_t done = 0;  // covered up to here by this secret: overlapping occurrences mark each byte once
      for (size_t at = text.find(s); at != std::string_view::npos; at = text.find(s, at + 1)) {
        if (covered.empty()) covered.resize(text.size());
        for (size_t i = std::max(at, done); i < at + s.size(); ++i) covered[i] = true;
        done = at + s.size();
      }
    }
  }

 private:
  mutable std::mutex mutex_;
  std::vector<std::string> secrets_;  // GUARDED_BY(mutex_), longest first
  size_t learnt_ = 0;                 // GUARDED_BY(mutex_)
};

Registry& registry() {
  static Registry r;
  return r;
}

struct Span {
  size_t begin, end;
};

bool lower_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
bool word(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'; }
bool hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool separator(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '=' || c == ':' || c == '"' || c == '\'';
}

// Bootstrap tokens: [a-z0-9]{6}\.[a-z0-9]{16} between non-word characters.
// Each '.' is looked at once, 23 bytes around it at most.
void find_tokens(std::string_view t, std::vector<Span>& out) {
  for (size_t dot = t.find('.'); dot != std::string_view::npos; dot = t.find('.', dot + 1)) {
    if (dot < 6 || t.size() - dot < 17) continue;
    const size_t begin = dot - 6, end = dot + 17;
    if ((begin > 0 && word(t[begin - 1])) || (end < t.size() && word(t[end]))) continue;
    if (std::all_of(t.begin() + begin, t.begin() + dot, lower_alnum) &&
        std::all_of(t.begin() + dot + 1, t.begin() + end, lower_alnum))
      out.push_back({begin, end});
  }
}

// Certificate keys: a run of at least 64 hex digits after "certificate-key",
// "certificateKey", "certificate key" or "certificate_key" (any case of the
// C) and separators (blanks, line breaks, = : and quotes). Linear: a
// separator or hex run ends before the next "ertificate" can begin.
void find_certificate_keys(std::string_view t, std::vector<Span>& out) {
  static constexpr std::string_view kStem = "ertificate";
  for (size_t at = t.find(kStem); at != std::string_view::npos; at = t.find(kStem, at + 1)) {
    const std::string_view rest = t.substr(at + kStem.size());
    size_t k = std::string_view::npos;
    for (std::string_view suffix : {"-key", "Key", " key", "_key"})
      if (rest.substr(0, suffix.size()) == suffix) k = at + kStem.size() + suffix.size();
    if (k == std::string_view::npos) continue;
    while (k < t.size() && separator(t[k])) ++k;
    size_t end = k;
    while (end < t.size() && hex(t[end])) ++end;
    if (end - k >= 64) out.push_back({k, end});
  }
}

std::vector<Span> shape_spans(std::string_view t) {
  std::vector<Span> spans;
  find_tokens(t, spans);
  find_certificate_keys(t, spans);
  return spans;
}

// Registers what was found, when it is a token or key by its length (a
// longer hex run is masked in place, never searched for later).
void learn(std::string_view t, const std::vector<Span>& spans) {
  for (const auto& s : spans)
    if (s.end - s.begin <= 64) registry().add(t.substr(s.begin, s.end - s.begin), true);
}

void learn_all(const Value& v) {
  switch (v.type()) {
    case Value::Type::kString: learn(v.as_string(), shape_spans(v.as_string())); break;
    case Value::Type::kArray:
      for (const auto& e : v.as_array()) learn_all(e);
      break;
    case Value::Type::kObject:
      for (const auto& [k, e] : v.as_object()) learn(k, shape_spans(k)), learn_all(e);
      break;
    default: break;
  }
}

Value masked(const Value& v) {
  switch (v.type()) {
    case Value::Type::kString: return mask_secrets(v.as_string());
    case Value::Type::kArray: {
      Value::Array out;
      out.reserve(v.as_array().size());
      for (const auto& e : v.as_array()) out.push_back(masked(e));
      return out;
    }
    case Value::Type::kObject: {
      Value::Object out;
      for (const auto& [k, e] : v.as_object()) out[mask_secrets(k)] = masked(e);
      return out;
    }
    default: return v;
  }
}

}  // namespace

void add_secret(const std::string& secret) {
  if (!secret.empty()) registry().add(secret, false);
}

std::string mask_secrets(std::string_view text) {
  const std::vector<Span> shapes = shape_spans(text);
  learn(text, shapes);
  std::vector<bool> covered;  // allocated at the first secret found
  if (!shapes.empty()) covered.resize(text.size());
  for (const auto& s : shapes) std::fill(covered.begin() + s.begin, covered.begin() + s.end, true);
  registry().cover(text, covered);
  if (covered.empty()) return std::string(text);
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    if (!covered[i]) {
      out += text[i++];
      continue;
    }
    out += kMask;
    while (i < text.size() && covered[i]) ++i;
  }
  return out;
}

bool is_bootstrap_token(std::string_view s) {
  return s.size() == 23 && s[6] == '.' && std::all_of(s.begin(), s.begin() + 6, lower_alnum) &&
         std::all_of(s.begin() + 7, s.end(), lower_alnum);
}

bool is_certificate_key(std::string_view s) {
  return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

Value mask_value(const Value& value) {
  learn_all(value);
  return masked(value);
}

void learn_secrets(const Value& value) { learn_all(value); }

}  // namespace fleetk8s::report
