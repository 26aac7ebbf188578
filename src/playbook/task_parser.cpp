// Tasks as Ansible reads them (playbook/task.py, block.py, helpers.py and
// parsing/mod_args.py): a mapping of keywords plus exactly one module key
// (or `action:`), or a block. Anything else is an error at its place.
#include "task_parser.h"

#include <algorithm>
#include <set>

#include "fleetk8s/playbook/kv_args.h"
#include "names.h"
#include "task_keywords.h"

namespace fleetk8s::playbook {
namespace {

using yaml::Node;
using namespace keywords;

Names all_module_names() {
  Names names;
  for (const ModuleSpec& m : module_catalog()) names.insert(names.end(), m.names.begin(), m.names.end());
  return names + kTaskFileActions;
}

}  // namespace

Result<std::vector<Task>> TaskParser::parse_list(const Node& list, const std::string& what, bool handlers) {
  std::vector<Task> out;
  if (list.is_null()) return out;
  if (!list.is_sequence()) {
    return reader_.error(list, what + " must be a list of tasks; got a " + std::string(list.kind_name()));
  }
  for (const Node& item : list.items()) {
    auto task = parse_task(item, handlers);
    if (!task.ok()) return task.error();
    out.push_back(std::move(*task));
  }
  return out;
}

Result<Task> TaskParser::parse_task(const Node& node, bool handlers) {
  if (!node.is_map()) return reader_.error(node, "a task must be a mapping; got a " + std::string(node.kind_name()));
  Entries entries = map_entries(node);
  for (const auto& [key, value] : entries) {
    const std::string& k = key->scalar();
    if (k == "block" || k == "rescue" || k == "always") return parse_block(node, entries, handlers);
  }

  // Find the module key among the keys that are not keywords.
  const Names valid = handlers ? kModuleTask + Names{"listen"} : kModuleTask;
  const Node* module_key = nullptr;
  const Node* module_value = nullptr;
  std::vector<const Node*> unknown;
  for (const auto& [key, value] : entries) {
    const std::string& k = key->scalar();
    if (contains(kUnsupported, k)) return reader_.error(*key, k + " is not supported yet");
    if (k == "listen" && !handlers) return reader_.error(*key, "listen is only valid on handlers");
    if (contains(valid, k)) {
      if (k != "action") continue;
    } else if (k.rfind("with_", 0) == 0) {
      return reader_.error(*key, k + " is not supported yet; use loop, with_items, with_list or with_dict");
    } else if (!find_module(k) && !is_action_name(k)) {
      unknown.push_back(key);
      continue;
    }
    if (module_key) {
      return reader_.error(*key, "a task runs one module, but this one has both '" + module_key->scalar() +
                                     "' and '" + k + "'");
    }
    module_key = key;
    module_value = value;
  }
  if (!unknown.empty()) {
    const std::string& k = unknown.front()->scalar();
    static const Names kPlayOnly{"hosts", "tasks", "pre_tasks", "post_tasks", "handlers", "roles",
                                 "gather_facts", "vars_files", "serial", "strategy"};
    if (contains(kPlayOnly, k)) {
      return reader_.error(*unknown.front(), "'" + k + "' belongs in a play, not in a task "
                                             "(is this a playbook rather than a task file?)");
    }
    std::string keyword = closest(k, valid);
    std::string module = module_key ? "" : closest(k, all_module_names());
    if (!module_key && keyword.empty()) {
      return reader_.error(*unknown.front(), "unknown module '" + k + "'" +
                                                 (module.empty() ? "" : " (did you mean '" + module + "'?)"));
    }
    return reader_.error(*unknown.front(), "unknown task keyword '" + k + "'" +
                                               (keyword.empty() ? "" : " (did you mean '" + keyword + "'?)"));
  }
  if (!module_key) return reader_.error(node, "a task needs a module to run; this one has none");

  Task task;
  task.pos = reader_.pos(node);
  std::string action = short_action(module_key->scalar());
  if (module_key->scalar() == "action") {
    return parse_module_task(std::move(task), entries, *module_key, *module_value, handlers);
  }
  if (contains(kTaskFileActions, action)) {
    return parse_tasks_file_call(std::move(task), entries, *module_key, *module_value, action, handlers);
  }
  if (contains(kRoleActions, action)) return reader_.error(*module_key, action + " is not supported yet (roles)");
  if (action == "include") {
    return reader_.error(*module_key, "include is deprecated in Ansible and not supported; use import_tasks or include_tasks");
  }
  if (action == "import_playbook") {
    return reader_.error(*module_key, "import_playbook is only valid as a play of its own, not as a task");
  }
  return parse_module_task(std::move(task), entries, *module_key, *module_value, handlers);
}

Result<Task> TaskParser::parse_block(const Node& node, const Entries& entries, bool handlers) {
  if (handlers) return reader_.error(node, "a handler cannot be a block (Ansible does not support it either)");
  Task task;
  task.kind = Task::Kind::kBlock;
  task.pos = reader_.pos(node);
  for (const auto& [key, value] : entries) {
    const std::string& k = key->scalar();
    if (k == "block" || k == "rescue" || k == "always") {
      auto list = parse_list(*value, k, handlers);
      if (!list.ok()) return list.error();
      (k == "block" ? task.block : k == "rescue" ? task.rescue : task.always) = std::move(*list);
      continue;
    }
    if (contains(kUnsupported, k)) return reader_.error(*key, k + " is not supported yet");
    if (!contains(kBlock, k)) {
      if (contains(kModuleTask, k) || find_module(k) || is_action_name(k) || k.rfind("with_", 0) == 0) {
        return reader_.error(*key, "'" + k + "' is not valid on a block (a block holds tasks: put it on them)");
      }
      std::string near = closest(k, kBlock);
      return reader_.error(*key, "unknown block keyword '" + k + "'" + (near.empty() ? "" : " (did you mean '" + near + "'?)"));
    }
    if (auto r = apply_keyword(task, k, *key, *value); !r.ok()) return r.error();
  }
  return task;
}

Result<Task> TaskParser::parse_module_task(Task task, const Entries& entries, const Node& key, const Node& value,
                                           bool /*handlers*/) {
  const Node* args_keyword = nullptr;
  for (const auto& [k, v] : entries) {
    if (k->scalar() == "args") args_keyword = v;
  }
  const ModuleSpec* spec = nullptr;
  task.module_pos = reader_.pos(key);
  if (key.scalar() == "action") {
    // Ansible's old form: "action: copy src=a dest=b" or a mapping with module:.
    const Node* module_node = value.is_map() ? value.get("module") : &value;
    if (!module_node || !module_node->is_scalar()) {
      return reader_.error(value, "action must be a string (\"copy src=a dest=b\") or a mapping with module:");
    }
    auto words = split_args(module_node->scalar());
    if (!words.ok() || words->empty()) return reader_.error(*module_node, "action names no module");
    std::string name = (*words)[0];
    if (is_action_name(name)) return reader_.error(*module_node, name + " is not supported in action:");
    spec = find_module(name);
    if (!spec) {
      std::string near = closest(name, all_module_names());
      return reader_.error(*module_node, "unknown module '" + name + "'" + (near.empty() ? "" : " (did you mean '" + near + "'?)"));
    }
    task.module_pos = reader_.pos(*module_node);
    words->erase(words->begin());
    // The words after the module name, then the mapping's other keys.
    Node rest = Node::scalar(join_args(*words), false, module_node->mark());
    if (auto r = module_args(task, *spec, rest, args_keyword); !r.ok()) return r.error();
    if (value.is_map()) {
      for (const auto& [k, v] : map_entries(value)) {
        if (k->scalar() == "module") continue;
        auto val = reader_.value(*v);
        if (!val.ok()) return val.error();
        task.args[k->scalar()] = std::move(*val);
        task.arg_pos[k->scalar()] = reader_.pos(*k);
      }
    }
  } else {
    spec = find_module(key.scalar());
    if (auto r = module_args(task, *spec, value, args_keyword); !r.ok()) return r.error();
  }
  if (auto r = free_form(task, *spec, value); !r.ok()) return r.error();
  task.module = spec->name;
  // Checked as written, so that messages use the user's spelling.
  if (auto r = validate_args(task); !r.ok()) return r.error();

  // Ansible's argument aliases resolved to canonical names, positions kept
  // (validate_args has made sure no argument is given twice).
  Value::Object canonical;
  std::map<std::string, Position> canonical_pos;
  for (auto& [name, v] : task.args) {
    const ArgSpec* arg = spec->find_arg(name);
    std::string to = arg ? arg->name : name;
    canonical_pos[to] = task.arg_pos[name];
    canonical[to] = std::move(v);
  }
  task.args = std::move(canonical);
  task.arg_pos = std::move(canonical_pos);

  for (const auto& [k, v] : entries) {
    const std::string& name = k->scalar();
    if (k == &key || name == "args" || name == "action") continue;
    if (auto r = apply_keyword(task, name, *k, *v); !r.ok()) return r.error();
  }
  return task;
}

Result<void> TaskParser::module_args(Task& task, const ModuleSpec& spec, const Node& value, const Node* args_keyword) {
  auto add_map = [&](const Node& map) -> Result<void> {
    for (const auto& [k, v] : map_entries(map)) {
      auto val = reader_.value(*v);
      if (!val.ok()) return val.error();
      task.args[k->scalar()] = std::move(*val);
      task.arg_pos[k->scalar()] = reader_.pos(*k);
    }
    return {};
  };
  // args: first, so that the module's own arguments win.
  if (args_keyword && !args_keyword->is_null()) {
    if (!args_keyword->is_map()) {
      if (args_keyword->is_scalar() && is_template(args_keyword->scalar())) {
        return reader_.error(*args_keyword, "args from a template are not supported yet; write a mapping");
      }
      return reader_.error(*args_keyword, "args must be a mapping; got a " + std::string(args_keyword->kind_name()));
    }
    if (auto r = add_map(*args_keyword); !r.ok()) return r;
  }
  if (value.is_map()) {
    if (auto r = add_map(value); !r.ok()) return r;
  } else if (value.is_scalar()) {
    if (value.tag() == "!unsafe") return reader_.error(value, "the !unsafe tag is not supported yet");
    auto kv = parse_kv(value.scalar(), spec.free_form == FreeForm::kCommand);
    if (!kv.ok()) return reader_.error(value, kv.error().message());
    for (auto& [k, v] : *kv) {
      task.args[k] = std::move(v);
      task.arg_pos[k] = reader_.pos(value);
    }
  } else if (!value.is_null()) {
    return reader_.error(value, spec.name + ": arguments must be a mapping or key=value text; got a " +
                                    std::string(value.kind_name()));
  }

  return {};
}

Result<void> TaskParser::free_form(Task& task, const ModuleSpec& spec, const Node& at) {
  // command/shell take cmd: as their free-form text.
  if ((spec.name == "command" || spec.name == "shell") && task.args.count("cmd")) {
    auto raw = task.args.find("_raw_params");
    if (raw != task.args.end() && !(raw->second.is_string() && raw->second.as_string().empty())) {
      return reader_.error(at, spec.name + ": the 'cmd' argument cannot be used when other raw parameters "
                                           "are specified; put everything in one or the other place");
    }
    task.args["_raw_params"] = std::move(task.args["cmd"]);
    task.arg_pos["_raw_params"] = task.arg_pos["cmd"];
    task.args.erase("cmd");
    task.arg_pos.erase("cmd");
  }
  auto raw = task.args.find("_raw_params");
  if (raw != task.args.end() && spec.free_form != FreeForm::kCommand && spec.free_form != FreeForm::kAction) {
    std::string text = raw->second.is_string() ? raw->second.as_string() : raw->second.to_json();
    if (is_template(text)) {
      return reader_.error(at, spec.name + ": arguments from a template ('" + text + "') are not supported yet");
    }
    return reader_.error(at, spec.name + " takes no free-form text, only key=value arguments; got '" + text + "'");
  }
  return {};
}

Result<void> TaskParser::apply_keyword(Task& task, const std::string& key, const Node& key_node, const Node& value) {
  auto set_bool = [&](std::optional<bool>& field) -> Result<void> {
    auto b = reader_.boolean(value, key);
    if (!b.ok()) return b.error();
    field = *b;
    return {};
  };
  auto set_int = [&](int& field) -> Result<void> {
    auto n = reader_.integer(value, key);
    if (!n.ok()) return n.error();
    field = *n;
    return {};
  };
  auto set_conditions = [&](std::vector<Raw>& field) -> Result<void> {
    auto c = reader_.conditions(value, key);
    if (!c.ok()) return c.error();
    field = std::move(*c);
    return {};
  };
  auto set_strings = [&](std::vector<std::string>& field, bool split) -> Result<void> {
    auto l = reader_.string_list(value, key, split);
    if (!l.ok()) return l.error();
    field = std::move(*l);
    return {};
  };

  if (key == "name") {
    auto s = reader_.string(value, key);
    if (!s.ok()) return s.error();
    task.name = *s;
  } else if (key == "when") {
    return set_conditions(task.when);
  } else if (key == "changed_when") {
    return set_conditions(task.changed_when);
  } else if (key == "failed_when") {
    return set_conditions(task.failed_when);
  } else if (key == "until") {
    return set_conditions(task.until);
  } else if (key == "retries") {
    return set_int(task.retries);
  } else if (key == "delay") {
    return set_int(task.delay);
  } else if (key == "timeout") {
    int t = 0;
    if (auto r = set_int(t); !r.ok()) return r;
    if (t < 0) return reader_.error(value, "timeout must be a number of seconds (0: none); got " + std::to_string(t));
    task.timeout = t;
  } else if (key == "throttle") {
    auto r = reader_.throttle(value);
    if (!r.ok()) return r.error();
    task.throttle = std::move(*r);
  } else if (key == "register") {
    auto s = reader_.string(value, key);
    if (!s.ok()) return s.error();
    if (!is_variable_name(*s)) {
      return reader_.error(value, "register: '" + *s + "' is not a valid variable name: use letters, digits and _, "
                                  "not starting with a digit");
    }
    task.register_var = *s;
  } else if (key == "ignore_errors") {
    return set_bool(task.ignore_errors);
  } else if (key == "ignore_unreachable") {
    return set_bool(task.ignore_unreachable);
  } else if (key == "no_log") {
    return set_bool(task.no_log);
  } else if (key == "become") {
    return set_bool(task.become);
  } else if (key == "check_mode") {
    return set_bool(task.check_mode);
  } else if (key == "diff") {
    return set_bool(task.diff);
  } else if (key == "run_once") {
    return set_bool(task.run_once);
  } else if (key == "any_errors_fatal") {
    return set_bool(task.any_errors_fatal);
  } else if (key == "become_user") {
    auto s = reader_.string(value, key);
    if (!s.ok()) return s.error();
    task.become_user = *s;
  } else if (key == "become_method") {
    auto s = reader_.string(value, key);
    if (!s.ok()) return s.error();
    if (*s != "sudo") return reader_.error(value, "become_method '" + *s + "' is not supported; only sudo is");
  } else if (key == "notify") {
    return set_strings(task.notify, false);
  } else if (key == "listen") {
    return set_strings(task.listen, false);
  } else if (key == "tags") {
    return set_strings(task.tags, true);
  } else if (key == "environment") {
    auto e = reader_.environment(value);
    if (!e.ok()) return e.error();
    task.environment = std::move(*e);
  } else if (key == "vars") {
    return reader_.vars(value, task.vars, task.var_pos);
  } else if (key == "loop" || key == "with_items" || key == "with_list" || key == "with_dict") {
    if (task.loop) return reader_.error(key_node, "a task has one loop; this one has two");
    if (value.is_null()) return reader_.error(key_node, key + " needs a value");
    if (value.is_map() && key != "with_dict") {
      return reader_.error(value, key + " must be a list or a template; got a mapping");
    }
    if (key == "with_dict" && value.is_sequence()) {
      return reader_.error(value, "with_dict must be a mapping or a template; got a sequence");
    }
    auto r = reader_.raw(value);
    if (!r.ok()) return r.error();
    task.loop = std::move(*r);
    task.loop_with = key == "loop" ? "" : key.substr(5);
  } else if (key == "loop_control") {
    return apply_loop_control(task, value);
  } else if (key == "collections") {
    // Every module is built in: nothing to search.
  }
  return {};
}

Result<void> TaskParser::apply_loop_control(Task& task, const Node& value) {
  static const Names kKeys{"loop_var", "index_var", "label", "pause", "extended"};
  if (!value.is_map()) {
    return reader_.error(value, "loop_control must be a mapping; got a " + std::string(value.kind_name()));
  }
  for (const auto& [k, v] : map_entries(value)) {
    const std::string& key = k->scalar();
    if (key == "loop_var" || key == "index_var") {
      auto s = reader_.string(*v, key);
      if (!s.ok()) return s.error();
      if (!is_variable_name(*s)) return reader_.error(*v, key + ": '" + *s + "' is not a valid variable name");
      (key == "loop_var" ? task.loop_var : task.index_var.emplace()) = *s;
    } else if (key == "label") {
      auto r = reader_.raw(*v);
      if (!r.ok()) return r.error();
      task.loop_label = std::move(*r);
    } else if (key == "pause") {
      auto n = reader_.value(*v);
      if (!n.ok()) return n.error();
      // NaN fails both comparisons; a day bounds the cast to milliseconds.
      if (!n->is_number() || !(n->as_double() >= 0 && n->as_double() <= 86400)) {
        return reader_.error(*v, "pause must be a number of seconds from 0 to 86400");
      }
      task.loop_pause = n->as_double();
    } else if (key == "extended") {
      auto b = reader_.boolean(*v, key);
      if (!b.ok()) return b.error();
      task.loop_extended = *b;
    } else {
      std::string near = closest(key, kKeys);
      return reader_.error(*k, "unknown loop_control keyword '" + key + "'" +
                                   (near.empty() ? "" : " (did you mean '" + near + "'?)"));
    }
  }
  return {};
}

}  // namespace fleetk8s::playbook
