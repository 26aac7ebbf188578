// Ansible's INI inventory format, following ansible/plugins/inventory/ini.py
// line for line where behaviour is observable: sections may be declared in
// any order, a [g:children] entry waits for [g] or [g:children] to appear,
// values are typed by Python's literal_eval.
#include <regex>
#include <string>
#include <vector>

#include "fleetk8s/core/strings.h"
#include "fleetk8s/core/shlex.h"
#include "fleetk8s/inventory/inventory.h"
#include "host_range.h"
#include "python_literal.h"

namespace fleetk8s::inventory {
namespace {

// The longest section header or [group:children] line read.
constexpr std::size_t kMaxNameLine = 1024;

enum class SectionKind { kHosts, kChildren, kVars };

// A group named before it was declared, as in Ansible's pending_declarations.
struct Pending {
  std::string group;
  SectionKind kind;  // kChildren: named in a :children section; kVars: has a :vars section
  int line;
  std::vector<std::pair<std::string, int>> parents;  // (parent, line named)
};

std::vector<std::string> split_lines(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);  // UTF-8 BOM
  std::vector<std::string> lines;
  size_t start = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' || text[i] == '\r') {
      lines.emplace_back(text.substr(start, i - start));
      if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      start = i + 1;
    }
  }
  if (start < text.size()) lines.emplace_back(text.substr(start));
  return lines;
}

// Python's _parse_value: a literal if literal_eval accepts it, else the text.
Value typed_value(const std::string& text) {
  auto v = python_literal(text);
  return v ? std::move(*v) : Value(text);
}

class IniParser {
 public:
  explicit IniParser(const std::string& source) : source_(source) {}

  Result<Inventory> parse(std::string_view text) {
    lines_ = split_lines(text);
    for (size_t i = 0; i < lines_.size(); ++i) {
      lineno_ = static_cast<int>(i) + 1;
      std::string line = trim(lines_[i]);
      if (line.empty() || line[0] == '#' || line[0] == ';') continue;
      Result<void> r = parse_line(line);
      if (!r.ok()) return r.error();
    }
    if (auto r = check_pending(); !r.ok()) return r.error();
    inv_.finish();
    return std::move(inv_);
  }

 private:
  Error error_at(int line, const std::string& message) const {
    std::string text = line >= 1 && line <= static_cast<int>(lines_.size()) ? lines_[line - 1] : "";
    return Error(ErrorKind::kInvalidInput,
                 source_ + ":" + std::to_string(line) + ": " + message + "\n    " + trim(text));
  }
  Error error(const std::string& message) const { return error_at(lineno_, message); }
  // "SOURCE:LINE" of the line being read.
  std::string here() const { return source_ + ":" + std::to_string(lineno_); }

  Result<void> parse_line(const std::string& line) {
    // std::regex recurses per character: bound what it reads (no group
    // name is near this long).
    if (line.front() == '[' && line.size() > kMaxNameLine) {
      return error("invalid section header: longer than " + std::to_string(kMaxNameLine) + " characters");
    }
    static const std::regex section(R"(^\[([^:\]\s]+)(?::(\w+))?\]\s*(?:#.*)?$)");
    std::smatch m;
    if (std::regex_match(line, m, section)) return enter_section(m[1].str(), m[2].matched ? m[2].str() : "");
    if (line.front() == '[' && line.back() == ']') {
      return error("invalid section header: a section is [group] or [group:hosts|children|vars], "
                   "without spaces");
    }
    switch (kind_) {
      case SectionKind::kHosts: return host_line(line);
      case SectionKind::kVars: return vars_line(line);
      case SectionKind::kChildren: return children_line(line);
    }
    return {};
  }

  Result<void> enter_section(const std::string& name, const std::string& type) {
    if (type.empty() || type == "hosts") {
      kind_ = SectionKind::kHosts;
    } else if (type == "children") {
      kind_ = SectionKind::kChildren;
    } else if (type == "vars") {
      kind_ = SectionKind::kVars;
    } else {
      return error("section [" + name + ":" + type + "] has unknown type \"" + type +
                   "\" (expected hosts, children or vars)");
    }
    group_ = name;
    if (!inv_.find_group(name)) {
      // [g:vars] alone does not declare g; remember to check it is declared.
      if (kind_ == SectionKind::kVars && !find_pending(name)) {
        pending_.push_back({name, SectionKind::kVars, lineno_, {}});
      }
      inv_.add_group(name);
    }
    if (Pending* p = find_pending(name); p && kind_ != SectionKind::kVars) {
      if (p->kind == SectionKind::kChildren) return add_pending_children(name);
      erase_pending(name);
    }
    return {};
  }

  Result<void> host_line(const std::string& line) {
    auto tokens = shlex_split(line, ShlexComments::kStrip);
    if (!tokens.ok()) return error("cannot split host line: " + tokens.error().message());
    if (tokens->empty()) return {};
    const std::string& pattern = (*tokens)[0];
    auto entry = expand_host_entry(pattern);
    if (!entry.ok()) return error(entry.error().message());
    std::string trimmed = trim(pattern);
    if (!trimmed.empty() && trimmed.back() == ':' && !entry->port) {
      return error("host \"" + pattern + "\" ends in ':', which is reserved for a port number");
    }
    std::vector<std::pair<std::string, Value>> vars;
    for (size_t i = 1; i < tokens->size(); ++i) {
      const std::string& t = (*tokens)[i];
      size_t eq = t.find('=');
      if (eq == std::string::npos) return error("expected key=value host variable, got \"" + t + "\"");
      vars.emplace_back(t.substr(0, eq), typed_value(t.substr(eq + 1)));
    }
    for (const auto& host : entry->names) {
      if (trim(host) == "---") return error("\"---\" is not a host name; is this a YAML file?");
      if (host.empty()) return error("empty host name");
      bool is_new = !inv_.has_host(host);
      inv_.add_host(host, group_);
      inv_.set_origin(Inventory::Origin::kMember, group_, host, here());
      if (is_new && entry->port) {
        inv_.set_host_var(host, "ansible_port", Value(*entry->port));
        inv_.set_origin(Inventory::Origin::kHostVar, host, "ansible_port", here());
      }
      for (const auto& [k, v] : vars) {
        inv_.set_host_var(host, k, v);
        inv_.set_origin(Inventory::Origin::kHostVar, host, k, here());
      }
    }
    return {};
  }

  Result<void> vars_line(const std::string& line) {
    size_t eq = line.find('=');
    if (eq == std::string::npos) {
      return error("expected key=value in [" + group_ + ":vars], got \"" + line + "\"");
    }
    const std::string key = trim(line.substr(0, eq));
    auto r = inv_.set_group_var(group_, key, typed_value(trim(line.substr(eq + 1))));
    if (!r.ok()) return error(r.error().message());
    inv_.set_origin(Inventory::Origin::kGroupVar, group_, key, here());
    return {};
  }

  Result<void> children_line(const std::string& line) {
    static const std::regex group_name(R"(^([^:\]\s]+)\s*(?:#.*)?$)");
    std::smatch m;
    if (line.size() > kMaxNameLine || !std::regex_match(line, m, group_name)) {
      return error("expected a group name in [" + group_ + ":children], got \"" + line + "\"");
    }
    std::string child = m[1].str();
    if (inv_.find_group(child)) {
      auto r = inv_.add_child(group_, child);
      if (!r.ok()) return error(r.error().message());
      return {};
    }
    if (Pending* p = find_pending(child)) {
      p->parents.emplace_back(group_, lineno_);
    } else {
      pending_.push_back({child, SectionKind::kChildren, lineno_, {{group_, lineno_}}});
    }
    return {};
  }

  // `group` has just been declared: attach it to the parents that named it.
  Result<void> add_pending_children(const std::string& group) {
    Pending p = *find_pending(group);
    for (const auto& [parent, line] : p.parents) {
      auto r = inv_.add_child(parent, group);
      if (!r.ok()) return error_at(line, r.error().message());
      if (Pending* pp = find_pending(parent); pp && pp->kind == SectionKind::kChildren) {
        if (auto rr = add_pending_children(parent); !rr.ok()) return rr;
      }
    }
    erase_pending(group);
    return {};
  }

  Result<void> check_pending() const {
    if (pending_.empty()) return {};
    const Pending& p = pending_.front();
    if (p.kind == SectionKind::kVars) {
      return error_at(p.line, "[" + p.group + ":vars] is for group \"" + p.group +
                                  "\", which has no [" + p.group + "] or [" + p.group +
                                  ":children] section");
    }
    return error_at(p.line, "[" + p.parents.front().first + ":children] names group \"" + p.group +
                                "\", which has no [" + p.group + "] or [" + p.group +
                                ":children] section");
  }

  Pending* find_pending(const std::string& group) {
    for (auto& p : pending_) {
      if (p.group == group) return &p;
    }
    return nullptr;
  }
  void erase_pending(const std::string& group) {
    for (auto it = pending_.begin(); it != pending_.end(); ++it) {
      if (it->group == group) {
        pending_.erase(it);
        return;
      }
    }
  }

  const std::string& source_;
  std::vector<std::string> lines_;
  int lineno_ = 0;
  Inventory inv_;
  std::string group_ = "ungrouped";
  SectionKind kind_ = SectionKind::kHosts;
  std::vector<Pending> pending_;
};

}  // namespace

Result<Inventory> Inventory::parse_ini(std::string_view text, const std::string& source) {
  return IniParser(source).parse(text);
}

}  // namespace fleetk8s::inventory
