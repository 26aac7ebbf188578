#include "play_parser.h"

#include <algorithm>
#include <filesystem>
#include <regex>

#include "fleetk8s/playbook/module_catalog.h"
#include "names.h"
#include "task_keywords.h"

namespace fleetk8s::playbook {
namespace {

using yaml::Node;
using keywords::contains;
using keywords::Names;

const Names kPlayKeywords{"name", "hosts", "become", "become_user", "become_method", "vars", "vars_files",
                          "environment", "pre_tasks", "tasks", "post_tasks", "handlers", "serial",
                          "any_errors_fatal", "max_fail_percentage", "gather_facts", "strategy", "order", "tags",
                          "check_mode", "diff", "collections", "throttle"};

// Ansible play keywords fleetk8s does not implement yet.
const Names kUnsupported{"vars_prompt", "remote_user", "connection", "port", "gather_subset", "gather_timeout",
                         "fact_path", "force_handlers", "module_defaults", "timeout", "debugger",
                         "no_log", "ignore_errors", "ignore_unreachable", "run_once", "become_flags",
                         "become_exe", "user", "sudo", "sudo_user"};

const Names kOrders{"inventory", "reverse_inventory", "sorted", "reverse_sorted", "shuffle"};

class PlayParser {
 public:
  PlayParser(LoadState& state, const NodeReader& reader) : state_(state), reader_(reader) {}

  Result<Play> parse(const Node& node) {
    play_.pos = reader_.pos(node);
    play_.base_dir = std::filesystem::path(reader_.file()).parent_path().string();
    bool has_hosts = false;
    for (const auto& [key, value] : map_entries(node)) {
      const std::string& k = key->scalar();
      if (k == "roles") return reader_.error(*key, "roles are not supported yet");
      if (contains(kUnsupported, k)) return reader_.error(*key, "play keyword '" + k + "' is not supported yet");
      if (!contains(kPlayKeywords, k)) return unknown(*key);
      has_hosts = has_hosts || k == "hosts";
      if (auto r = apply(k, *value); !r.ok()) return r.error();
    }
    if (!has_hosts) return reader_.error(node, "a play needs hosts: (a host pattern such as all)");
    return std::move(play_);
  }

 private:
  Error unknown(const Node& key) const {
    const std::string& k = key.scalar();
    static const Names kTaskOnly{"import_tasks", "include_tasks", "block", "when", "register", "loop",
                                 "with_items", "notify", "changed_when", "failed_when", "until"};
    if (find_module(k) || contains(kTaskOnly, k)) {
      return reader_.error(key, "'" + k + "' belongs in a task, not in a play: put it under tasks: "
                                "(is this a task file rather than a playbook?)");
    }
    std::string near = closest(k, kPlayKeywords);
    return reader_.error(key, "unknown play keyword '" + k + "'" + (near.empty() ? "" : " (did you mean '" + near + "'?)"));
  }

  Result<void> set_bool(std::optional<bool>& field, const std::string& k, const Node& v) {
    auto b = reader_.boolean(v, k);
    if (!b.ok()) return b.error();
    field = *b;
    return {};
  }

  Result<void> set_tasks(std::vector<Task>& field, const std::string& k, const Node& v) {
    auto tasks = TaskParser(state_, reader_.file()).parse_list(v, k, k == "handlers");
    if (!tasks.ok()) return tasks.error();
    field = std::move(*tasks);
    return {};
  }

  Result<void> apply(const std::string& k, const Node& v) {
    if (k == "name") {
      auto s = reader_.string(v, k);
      if (!s.ok()) return s.error();
      play_.name = *s;
    } else if (k == "hosts") {
      return hosts(v);
    } else if (k == "become") {
      return set_bool(play_.become, k, v);
    } else if (k == "become_user") {
      auto s = reader_.string(v, k);
      if (!s.ok()) return s.error();
      play_.become_user = *s;
    } else if (k == "become_method") {
      auto s = reader_.string(v, k);
      if (!s.ok()) return s.error();
      if (*s != "sudo") return reader_.error(v, "become_method '" + *s + "' is not supported; only sudo is");
    } else if (k == "vars") {
      return reader_.vars(v, play_.vars, play_.var_pos);
    } else if (k == "vars_files") {
      return vars_files(v);
    } else if (k == "environment") {
      auto e = reader_.environment(v);
      if (!e.ok()) return e.error();
      play_.environment = std::move(*e);
    } else if (k == "pre_tasks") {
      return set_tasks(play_.pre_tasks, k, v);
    } else if (k == "tasks") {
      return set_tasks(play_.tasks, k, v);
    } else if (k == "post_tasks") {
      return set_tasks(play_.post_tasks, k, v);
    } else if (k == "handlers") {
      return set_tasks(play_.handlers, k, v);
    } else if (k == "serial") {
      return serial(v);
    } else if (k == "any_errors_fatal" || k == "gather_facts") {
      std::optional<bool> b;
      if (auto r = set_bool(b, k, v); !r.ok()) return r;
      (k == "gather_facts" ? play_.gather_facts : play_.any_errors_fatal) = *b;
    } else if (k == "throttle") {
      auto r = reader_.throttle(v);
      if (!r.ok()) return r.error();
      play_.throttle = std::move(*r);
    } else if (k == "max_fail_percentage") {
      return max_fail_percentage(v);
    } else if (k == "strategy") {
      auto s = reader_.string(v, k);
      if (!s.ok()) return s.error();
      if (*s != "linear" && *s != "free") {
        return reader_.error(v, "strategy '" + *s + "' is not supported; use linear or free");
      }
      play_.strategy = *s;
    } else if (k == "order") {
      auto s = reader_.string(v, k);
      if (!s.ok()) return s.error();
      if (!contains(kOrders, *s)) return reader_.error(v, "order must be one of: " + join(kOrders) + "; got '" + *s + "'");
      play_.order = *s;
    } else if (k == "tags") {
      auto l = reader_.string_list(v, k, true);
      if (!l.ok()) return l.error();
      play_.tags = std::move(*l);
    } else if (k == "check_mode") {
      return set_bool(play_.check_mode, k, v);
    } else if (k == "diff") {
      return set_bool(play_.diff, k, v);
    }
    // collections: every module is built in, nothing to search.
    return {};
  }

  Result<void> hosts(const Node& v) {
    auto patterns = reader_.string_list(v, "hosts");
    if (!patterns.ok()) return patterns.error();
    std::string joined;
    for (const std::string& p : *patterns) joined += (joined.empty() ? "" : ",") + p;
    if (joined.empty()) return reader_.error(v, "hosts must not be empty");
    play_.hosts = joined;
    play_.hosts_pos = reader_.pos(v);
    return {};
  }

  Result<void> vars_files(const Node& v) {
    if (v.is_null()) return {};
    std::vector<const Node*> items;
    if (v.is_sequence()) {
      for (const Node& item : v.items()) items.push_back(&item);
    } else {
      items.push_back(&v);
    }
    for (const Node* item : items) {
      bool ok = item->is_scalar() && !item->scalar().empty();
      if (item->is_sequence()) {
        ok = std::all_of(item->items().begin(), item->items().end(), [](const Node& n) { return n.is_scalar(); });
      }
      if (!ok) return reader_.error(*item, "vars_files must list file names (or lists of alternatives)");
      auto r = reader_.raw(*item);
      if (!r.ok()) return r.error();
      play_.vars_files.push_back(std::move(*r));
    }
    return {};
  }

  Result<void> serial(const Node& v) {
    static const std::regex kBatch(R"(\s*\d+(\.\d+)?%?\s*)");
    std::vector<const Node*> items;
    if (v.is_sequence()) {
      for (const Node& item : v.items()) items.push_back(&item);
    } else {
      items.push_back(&v);
    }
    for (const Node* item : items) {
      auto r = reader_.raw(*item);
      if (!r.ok()) return r.error();
      const Value& x = r->value;
      bool ok = (x.is_int() && x.as_int() >= 0) ||
                (x.is_string() && (is_template(x.as_string()) || std::regex_match(x.as_string(), kBatch)));
      if (!ok) return reader_.error(*item, "serial must be a number of hosts, a percentage like '30%' or a list of those");
      play_.serial.push_back(std::move(*r));
    }
    return {};
  }

  Result<void> max_fail_percentage(const Node& v) {
    auto r = reader_.value(v);
    if (!r.ok()) return r.error();
    std::optional<double> pct;
    if (r->is_number()) {
      pct = r->as_double();
    } else if (r->is_string()) {
      std::string s = r->as_string();
      if (!s.empty() && s.back() == '%') s.pop_back();
      try {
        size_t used = 0;
        double d = std::stod(s, &used);
        if (used == s.size()) pct = d;
      } catch (const std::exception&) {
      }
    }
    if (!pct || *pct < 0 || *pct > 100) {
      return reader_.error(v, "max_fail_percentage must be a number from 0 to 100");
    }
    play_.max_fail_percentage = *pct;
    return {};
  }

  LoadState& state_;
  const NodeReader& reader_;
  Play play_;
};

}  // namespace

Result<Play> parse_play(LoadState& state, const NodeReader& reader, const Node& node) {
  return PlayParser(state, reader).parse(node);
}

}  // namespace fleetk8s::playbook
