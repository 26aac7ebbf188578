// Parses every template of a playbook once, before any host is touched, so
// a typo in a filter name (or an environment name sh cannot export) fails
// the run with its file:line:col up front.
#include "run_state.h"

#include <algorithm>
#include <cctype>

#include "fleetk8s/template/render.h"

namespace fleetk8s::orchestrator {

namespace {

tmpl::Origin origin_of(const playbook::Position& p) { return tmpl::Origin{p.file, p.line, p.column}; }

bool has_markers(const std::string& s) {
  return s.find("{{") != std::string::npos || s.find("{%") != std::string::npos;
}

Result<std::vector<Cond>> compile_conds(const std::vector<playbook::Raw>& raws) {
  std::vector<Cond> out;
  for (const auto& r : raws) {
    auto c = compile_cond(r);
    if (!c) return c.error();
    out.push_back(std::move(*c));
  }
  return out;
}

// Checks the syntax of templated variables (they render lazily per host).
Result<void> check_vars(const Value::Object& vars, const std::map<std::string, playbook::Position>& pos,
                        const playbook::Position& fallback) {
  for (const auto& [k, v] : vars) {
    auto it = pos.find(k);
    auto parsed = tmpl::ValueTemplate::parse(v, origin_of(it != pos.end() ? it->second : fallback));
    if (!parsed) return parsed.error();
  }
  return {};
}

// The keys of `env` that are written out (not {{ }}), checked now so that
// a bad name fails the run before any host is touched.
Result<void> check_environment_names(const Value& env, const playbook::Position& pos) {
  if (!env.is_object()) return {};
  for (const auto& [key, value] : env.as_object())
    if (!has_markers(key))
      if (auto r = check_environment_name(key, pos.to_string()); !r) return r;
  return {};
}

// A keyword rendered at run time (include file, throttle): a broken template
// is refused now, before any host is touched. nullptr: not set.
Result<void> check_later_template(const playbook::Raw* raw) {
  if (!raw || !raw->value.is_string()) return {};
  if (auto p = tmpl::Template::parse(raw->value.as_string(), origin_of(raw->pos)); !p) return p.error();
  return {};
}

}  // namespace

Result<void> check_environment_name(const std::string& key, const std::string& where) {
  const auto word = [](char c) { return c == '_' || std::isalnum(static_cast<unsigned char>(c)); };
  if (!key.empty() && !std::isdigit(static_cast<unsigned char>(key[0])) && std::all_of(key.begin(), key.end(), word))
    return {};
  return Error(ErrorKind::kInvalidInput, where + ": environment: '" + key +
                                             "' is not a valid environment variable name: use letters, digits and _, "
                                             "not starting with a digit");
}

Result<Cond> compile_cond(const playbook::Raw& raw) {
  Cond c;
  c.origin = origin_of(raw.pos);
  if (!raw.value.is_string()) {
    c.literal = raw.value;
    return c;
  }
  c.text = raw.value.as_string();
  if (has_markers(c.text)) {
    // Rendered first, then judged (tmpl::eval_condition); check the syntax now.
    auto t = tmpl::Template::parse(c.text, c.origin);
    if (!t) return t.error();
    return c;
  }
  auto e = tmpl::Expression::parse(c.text, c.origin);
  if (!e) return e.error();
  c.expr = std::move(*e);
  return c;
}

Result<bool> eval_cond(const Cond& c, const tmpl::Scope& scope) {
  if (c.expr) return c.expr->eval_condition(scope);
  if (!c.text.empty() || c.literal.is_string()) return tmpl::eval_condition(c.text, scope, c.origin);
  return tmpl::is_truthy(c.literal);
}

Result<CompiledTask> compile_task(const playbook::Task& task) {
  CompiledTask ct;
  ct.task = &task;
  if (!task.name.empty()) {
    auto n = tmpl::Template::parse(task.name, origin_of(task.pos));
    if (!n) return n.error();
    ct.name = std::move(*n);
  }
  if (task.kind == playbook::Task::Kind::kModule) {
    auto a = tmpl::ValueTemplate::parse(Value(task.args), origin_of(task.module_pos));
    if (!a) return a.error();
    ct.args = std::move(*a);
  }
  for (auto [from, to] : {std::pair{&task.when, &ct.when}, std::pair{&task.changed_when, &ct.changed_when},
                          std::pair{&task.failed_when, &ct.failed_when}, std::pair{&task.until, &ct.until}}) {
    auto conds = compile_conds(*from);
    if (!conds) return conds.error();
    *to = std::move(*conds);
  }
  if (task.loop) {
    auto l = tmpl::ValueTemplate::parse(task.loop->value, origin_of(task.loop->pos));
    if (!l) return l.error();
    ct.loop = std::move(*l);
  }
  if (task.loop_label && task.loop_label->value.is_string()) {
    auto l = tmpl::Template::parse(task.loop_label->value.as_string(), origin_of(task.loop_label->pos));
    if (!l) return l.error();
    ct.loop_label = std::move(*l);
  }
  for (const auto& env : task.environment) {
    if (auto r = check_environment_names(env.value, env.pos); !r) return r.error();
    auto e = tmpl::ValueTemplate::parse(env.value, origin_of(env.pos));
    if (!e) return e.error();
    ct.environment.push_back(std::move(*e));
  }
  if (auto v = check_vars(task.vars, task.var_pos, task.pos); !v) return v.error();
  for (const auto* raw : {task.include_file ? &*task.include_file : nullptr, task.throttle ? &*task.throttle : nullptr})
    if (auto p = check_later_template(raw); !p) return p.error();
  return ct;
}

Result<void> PlaybookEngine::State::compile_tasks(const std::vector<playbook::Task>& tasks) {
  for (const auto& t : tasks) {
    if (compiled.count(&t)) continue;
    auto ct = compile_task(t);
    if (!ct) return ct.error();
    compiled.emplace(&t, std::move(*ct));
    for (const auto* list : {&t.block, &t.rescue, &t.always})
      if (auto r = compile_tasks(*list); !r) return r;
  }
  return {};
}

Result<void> PlaybookEngine::compile(const playbook::Playbook& book) {
  for (const auto& play : book.plays) {
    if (auto v = check_vars(play.vars, play.var_pos, play.pos); !v) return v.error();
    if (auto p = check_later_template(play.throttle ? &*play.throttle : nullptr); !p) return p;
    for (const auto& env : play.environment)
      if (auto r = check_environment_names(env.value, env.pos); !r) return r;
    for (const auto* list : {&play.pre_tasks, &play.tasks, &play.post_tasks, &play.handlers})
      if (auto r = state_->compile_tasks(*list); !r) return r;
  }
  return {};
}

}  // namespace fleetk8s::orchestrator
