// One task on one host: variables, conditions, loops, the module call,
// changed_when / failed_when / until, register, and the report line.
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "actions.h"
#include "fleetk8s/playbook/module_catalog.h"
#include "fleetk8s/template/render.h"
#include "run_state.h"
#include "var_scope.h"

namespace fleetk8s::orchestrator {

namespace {

using report::TaskStatus;

constexpr const char* kNoLog =
    "the output has been hidden due to the fact that 'no_log: true' was specified for this result";

template <class T>
T pick(const std::optional<T>& task, const std::optional<T>& inherited, T fallback) {
  return task ? *task : inherited ? *inherited : fallback;
}

struct Settings {
  bool become = false;
  std::string become_user;
  modules::RunMode mode;
  bool no_log = false, ignore_errors = false, ignore_unreachable = false, run_once = false;
  std::chrono::milliseconds timeout{0};
};

Settings settings_for(const PlaybookEngine::State& st, const HostState& h, const playbook::Task& t,
                      const Inherited& inh) {
  Settings s;
  const auto& target = h.session->target();
  s.become = pick(t.become, inh.become, target.become.enabled);
  s.become_user = pick(t.become_user, inh.become_user, target.become.user);
  s.mode.check = pick(t.check_mode, inh.check_mode, st.options.check);
  s.mode.diff = pick(t.diff, inh.diff, st.options.diff);
  s.no_log = pick(t.no_log, inh.no_log, false);
  s.ignore_errors = pick(t.ignore_errors, inh.ignore_errors, false);
  s.ignore_unreachable = pick(t.ignore_unreachable, inh.ignore_unreachable, false);
  s.timeout = std::chrono::seconds(pick(t.timeout, inh.timeout, 0));
  return s;
}

// One host's entry of hostvars: its variables, later layers winning.
Value hostvars_entry(const HostState& h) {
  Value::Object v = h.inventory_vars;
  for (const auto& [k, x] : h.facts_vars) v[k] = x;
  if (!h.facts_vars.empty()) v["ansible_facts"] = facts_object(h.facts_vars);
  for (const auto* layer : {&h.play_vars, &h.magic, &h.host_facts})
    for (const auto& [k, x] : *layer) v[k] = x;
  return Value(std::move(v));
}

// Applies hostvars' pending changes: a new play's variables drop every
// entry, a host whose variables changed drops its own. Only entries go, so
// pointers into the others stay valid.
Value::Object& hostvars_entries(PlaybookEngine::State& st) {
  if (!st.hostvars.is_object()) st.hostvars = Value(Value::Object());
  auto& all = st.hostvars.as_object();
  if (st.hostvars_stale) all.clear();
  else
    for (size_t i : st.hostvars_changed) all.erase(st.hosts[i].name);
  if (st.hostvars_stale || !st.hostvars_changed.empty()) st.hostvars_complete = false;
  st.hostvars_stale = false;
  st.hostvars_changed.clear();
  return all;
}

const Value* hostvars(PlaybookEngine::State& st) {
  auto& all = hostvars_entries(st);
  if (!st.hostvars_complete) {
    for (const auto& h : st.hosts)
      if (!all.count(h.name)) all.emplace(h.name, hostvars_entry(h));
    st.hostvars_complete = true;
  }
  return &st.hostvars;
}

// hostvars[host] alone: templates that only index hostvars build the entries
// of the hosts they name, not every host's.
const Value* hostvars_member(PlaybookEngine::State& st, const std::string& host) {
  auto& all = hostvars_entries(st);
  if (auto it = all.find(host); it != all.end()) return &it->second;
  auto i = st.host_index.find(host);
  if (i == st.host_index.end()) return nullptr;
  return &all.emplace(host, hostvars_entry(st.hosts[i->second])).first->second;
}

// The scope of `task` on `h`; `top` layers (loop item, registered result)
// rank just under extra vars and magic variables.
void fill_scope(VarScope& scope, PlaybookEngine::State& st, HostState& h, const playbook::Task& task,
                const Inherited& inh, std::initializer_list<const Value::Object*> top) {
  scope.add(&st.options.extra_vars);
  scope.add(&h.magic);
  scope.add(&st.shared_magic);
  for (const auto* layer : top)  // loop items and registered results: data
    if (layer) scope.add_data(layer);
  scope.add_data(&h.host_facts);  // register and set_fact: from hosts, or rendered once
  scope.add(&task.vars);
  for (auto it = inh.vars.rbegin(); it != inh.vars.rend(); ++it) scope.add(*it);
  scope.add(&h.play_vars);
  scope.add_facts(&h.facts_vars);
  scope.add(&h.inventory_vars);
  scope.add_dynamic("hostvars", [&st] { return hostvars(st); });
  scope.add_dynamic_members("hostvars", [&st](const std::string& host) { return hostvars_member(st, host); });
}

std::string error_text(const Error& e, const VarScope& scope) {
  if (auto lazy = scope.take_error()) return lazy->message();
  return e.message();
}

Result<bool> all_true(const std::vector<const Cond*>& outer, const std::vector<Cond>& own, const VarScope& scope) {
  auto check = [&](const Cond& c) -> Result<bool> {
    auto ok = eval_cond(c, scope);
    if (auto lazy = scope.take_error()) return Error(ErrorKind::kInvalidInput, lazy->message());
    if (!ok) return Error(ErrorKind::kInvalidInput, "The conditional check '" + c.text + "' failed. The error was: " + ok.error().message());
    return *ok;
  };
  for (const auto* c : outer) {
    auto ok = check(*c);
    if (!ok || !*ok) return ok;
  }
  for (const auto& c : own) {
    auto ok = check(c);
    if (!ok || !*ok) return ok;
  }
  return true;
}

std::string false_condition(const std::vector<const Cond*>& outer, const std::vector<Cond>& own,
                            const VarScope& scope) {
  for (const auto* c : outer)
    if (auto ok = eval_cond(*c, scope); ok && !*ok) return c->text.empty() ? c->literal.to_json() : c->text;
  for (const auto& c : own)
    if (auto ok = eval_cond(c, scope); ok && !*ok) return c.text.empty() ? c.literal.to_json() : c.text;
  (void)scope.take_error();
  return "";
}

// "export K='v'" lines for the task's environment (outer ones first).
Result<std::string> environment(const CompiledTask& ct, const Inherited& inh, const VarScope& scope) {
  std::vector<const tmpl::ValueTemplate*> all = inh.environment;
  for (const auto& e : ct.environment) all.push_back(&e);
  Value::Object env;
  for (const auto* t : all) {
    auto v = t->render(scope);
    if (!v) return Error(ErrorKind::kInvalidInput, error_text(v.error(), scope));
    if (!v->is_object()) return Error(ErrorKind::kInvalidInput, "environment must be a mapping, got " + v->to_json());
    for (const auto& [k, x] : v->as_object()) env[k] = x;
  }
  std::string out;
  for (const auto& [k, v] : env) {
    // Rendered keys ({{ }} ones) are checked here; the name is written unquoted.
    if (auto r = check_environment_name(k, ct.task->pos.to_string()); !r) return r.error();
    out += "export " + k + "=" + shell_quote(v.to_display()) + "\n";
  }
  return out;
}

Value::Object result_object(const ActionResult& a) {
  Value::Object r = a.outcome.result;
  r["changed"] = a.outcome.changed;
  if (a.outcome.failed) r["failed"] = true;
  if (a.outcome.skipped) r["skipped"] = true;
  if (!a.outcome.msg.empty()) r["msg"] = a.outcome.msg;
  if (a.unreachable) r["unreachable"] = true;
  return r;
}

bool is_command(const std::string& module) { return module == "command" || module == "shell" || module == "raw"; }

struct Attempt {
  Value::Object result;
  bool changed = false, failed = false, skipped = false, unreachable = false, always_show = false;
  std::string diff;
};

Attempt from_action(const ActionResult& a) {
  Attempt at;
  at.result = result_object(a);
  at.changed = a.outcome.changed;
  at.failed = a.outcome.failed;
  at.skipped = a.outcome.skipped;
  at.unreachable = a.unreachable;
  at.always_show = a.always_show;
  at.diff = a.outcome.diff;
  return at;
}

Attempt failure(std::string msg) {
  Attempt at;
  at.failed = true;
  at.result = Value::Object{{"changed", false}, {"failed", true}, {"msg", std::move(msg)}};
  return at;
}

// Renders and validates the arguments, then runs the module once.
ssh::Task<Attempt> call_module(PlaybookEngine::State& st, size_t h, const CompiledTask& ct, const Inherited& inh,
                               const Settings& s, const VarScope& scope) {
  const auto& task = *ct.task;
  auto rendered = ct.args->render(scope);
  if (!rendered) co_return failure(error_text(rendered.error(), scope));
  if (auto lazy = scope.take_error()) co_return failure(lazy->message());
  Value::Object args = rendered->is_object() ? rendered->as_object() : Value::Object{};
  const std::string omit = st.shared_magic["omit"].as_string();
  for (auto it = args.begin(); it != args.end();)
    it = it->second.is_string() && it->second.as_string() == omit ? args.erase(it) : std::next(it);
  if (task.module != "set_fact") {
    auto valid = playbook::validate_values(task.module, args);
    if (!valid) co_return failure(task.module_pos.to_string() + ": " + valid.error().message());
    args = std::move(*valid);
  }
  auto env = environment(ct, inh, scope);
  if (!env) co_return failure(env.error().message());
  ActionContext ctx{st, h, task, scope, s.mode, s.become, s.become_user, *env, s.timeout};
  const auto started = std::chrono::steady_clock::now();
  auto a = co_await run_action(ctx, std::move(args));
  if (s.timeout.count() > 0 && a.outcome.failed && !a.unreachable &&
      std::chrono::steady_clock::now() - started >= s.timeout) {
    // The host killed the script at the limit (a script that fails on its
    // own fails before it). Ansible's words, per attempt as in Ansible.
    a.outcome.msg = "The " + task.module + " action failed to execute in the expected time frame (" +
                    std::to_string(s.timeout.count() / 1000) + ") and was terminated";
  }
  co_return from_action(a);
}

// One run of the task (one loop item): the module call with until/retries
// and changed_when / failed_when applied.
ssh::Task<Attempt> run_attempts(PlaybookEngine::State& st, size_t h, const CompiledTask& ct, const Inherited& inh,
                                const Settings& s, const Value::Object* loop_layer) {
  const auto& task = *ct.task;
  auto& host = st.host(h);
  const int attempts = ct.until.empty() ? 1 : std::max(1, task.retries + 1);
  Attempt at;
  for (int n = 1; n <= attempts; ++n) {
    {
      VarScope scope;
      fill_scope(scope, st, host, task, inh, {loop_layer});
      at = co_await call_module(st, h, ct, inh, s, scope);
    }
    if (s.mode.check && at.skipped && ct.changed_when.empty() && is_command(task.module) &&
        at.result.count("msg") && at.result.at("msg").to_display().rfind("skipped: command would run", 0) == 0) {
      // Deliberately unlike Ansible (which says "skipped"): a command that
      // would run is a change, unless changed_when says how to judge it, so
      // `check` sees drift such as "Swap off now" would fix.
      at.skipped = false;
      at.changed = true;
      at.result.erase("skipped");
      at.result["changed"] = true;
      at.result["msg"] = "would run (check mode)";
    }
    if (at.unreachable || at.skipped) co_return at;
    if (ct.changed_when.empty() && ct.failed_when.empty() && ct.until.empty()) co_return at;
    Value::Object reg;
    if (task.register_var) reg[*task.register_var] = Value(at.result);
    VarScope scope;
    fill_scope(scope, st, host, task, inh, {&reg, loop_layer});
    if (!ct.changed_when.empty()) {
      auto c = all_true({}, ct.changed_when, scope);
      if (!c) co_return failure(c.error().message());
      at.changed = *c;
      at.result["changed"] = *c;
    }
    if (!ct.failed_when.empty()) {
      auto f = all_true({}, ct.failed_when, scope);
      if (!f) co_return failure(f.error().message());
      at.failed = *f;
      at.result["failed_when_result"] = *f;
      if (*f) at.result["failed"] = true;
      else at.result.erase("failed");
    }
    if (ct.until.empty()) co_return at;
    at.result["attempts"] = n;
    auto done = all_true({}, ct.until, scope);
    if (!done) co_return failure(done.error().message());
    if (*done) co_return at;
    if (n == attempts) {
      at.failed = true;
      at.result["failed"] = true;
      co_return at;
    }
    report::TaskResultEvent e;
    e.host = host.name;
    e.status = TaskStatus::kFailed;
    e.retries_left = attempts - n;
    st.reporter.task_result(e);
    boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor, std::chrono::seconds(task.delay));
    co_await timer.async_wait(boost::asio::use_awaitable);
  }
  co_return at;
}

TaskStatus status_of(const Attempt& a) {
  if (a.unreachable) return TaskStatus::kUnreachable;
  if (a.failed) return TaskStatus::kFailed;
  if (a.skipped) return TaskStatus::kSkipped;
  return a.changed ? TaskStatus::kChanged : TaskStatus::kOk;
}

Value shown(const Value::Object& result, bool no_log) {
  if (!no_log) return Value(result);
  Value::Object masked{{"censored", kNoLog}, {"changed", result.count("changed") ? result.at("changed") : Value(false)}};
  return Value(std::move(masked));
}

Result<Value::Array> loop_items(const CompiledTask& ct, const VarScope& scope) {
  auto v = ct.loop->render(scope);
  if (!v) return Error(ErrorKind::kInvalidInput, error_text(v.error(), scope));
  const auto& with = ct.task->loop_with;
  if (with == "dict") {
    if (!v->is_object()) return Error(ErrorKind::kInvalidInput, "with_dict expects a dict, got " + v->to_json());
    Value::Array items;
    for (const auto& [k, x] : v->as_object()) items.push_back(Value::Object{{"key", k}, {"value", x}});
    return items;
  }
  if (v->is_string() && with == "items") return Value::Array{*v};
  if (!v->is_array())
    return Error(ErrorKind::kInvalidInput,
                 "Invalid data passed to 'loop', it requires a list, got this instead: " + v->to_display() +
                     ". Hint: If you passed a list/dict of just one element, try adding wantlist=True to your lookup "
                     "invocation or use q/query instead of lookup.");
  if (with != "items") return v->as_array();
  Value::Array flat;
  for (const auto& x : v->as_array()) {
    if (x.is_array()) flat.insert(flat.end(), x.as_array().begin(), x.as_array().end());
    else flat.push_back(x);
  }
  return flat;
}

void report(PlaybookEngine::State& st, const std::string& host, const Attempt& a, const Settings& s,
            bool is_item, const std::string& label, std::chrono::system_clock::time_point start) {
  report::TaskResultEvent e;
  e.host = host;
  e.start = start;
  e.end = std::chrono::system_clock::now();
  if (auto rc = a.result.find("rc"); rc != a.result.end() && rc->second.is_int()) e.rc = static_cast<int>(rc->second.as_int());
  e.status = status_of(a);
  e.ignored = a.failed && s.ignore_errors;
  e.is_item = is_item;
  e.item_label = label;
  e.always_show = a.always_show;
  e.result = shown(a.result, s.no_log);
  if (a.always_show && e.result.is_object()) e.result.as_object().erase("changed");  // debug, as Ansible shows it
  if (!s.no_log) e.diff = a.diff;
  st.reporter.task_result(e);
}

}  // namespace

ssh::Task<TaskOutcome> run_task_on_host(PlaybookEngine::State& st, size_t h, const playbook::Task& task,
                                        const Inherited& inh) {
  auto& host = st.host(h);
  const CompiledTask& ct = st.compiled_of(task);
  const Settings s = settings_for(st, host, task, inh);
  Attempt total;
  const auto started = std::chrono::system_clock::now();
  st.reporter.host_task_start(host.name);

  if (!ct.loop) {
    VarScope scope;
    fill_scope(scope, st, host, task, inh, {});
    auto run = all_true(inh.when, ct.when, scope);
    if (!run) {
      total = failure(run.error().message());
    } else if (!*run) {
      total.skipped = true;
      total.result = Value::Object{{"changed", false}, {"skipped", true},
                                   {"skip_reason", "Conditional result was False"},
                                   {"false_condition", false_condition(inh.when, ct.when, scope)}};
    } else {
      total = co_await run_attempts(st, h, ct, inh, s, nullptr);
    }
    report(st, host.name, total, s, false, "", started);
  } else {
    VarScope scope;
    fill_scope(scope, st, host, task, inh, {});
    auto items = loop_items(ct, scope);
    if (!items) {
      total = failure(items.error().message());
      report(st, host.name, total, s, false, "", started);
    } else {
      Value::Array results;
      bool any_ran = false;
      for (size_t i = 0; i < items->size(); ++i) {
        Value::Object layer{{task.loop_var, (*items)[i]}, {"ansible_loop_var", task.loop_var}};
        if (task.index_var) layer[*task.index_var] = static_cast<std::int64_t>(i);
        if (task.loop_extended)
          layer["ansible_loop"] = Value::Object{{"index", static_cast<std::int64_t>(i + 1)},
                                                {"index0", static_cast<std::int64_t>(i)},
                                                {"first", i == 0},
                                                {"last", i + 1 == items->size()},
                                                {"length", static_cast<std::int64_t>(items->size())}};
        const auto item_started = i == 0 ? started : std::chrono::system_clock::now();
        VarScope item_scope;
        fill_scope(item_scope, st, host, task, inh, {&layer});
        Attempt at;
        auto run = all_true(inh.when, ct.when, item_scope);
        if (!run) at = failure(run.error().message());
        else if (!*run) {
          at.skipped = true;
          at.result = Value::Object{{"changed", false}, {"skipped", true},
                                    {"skip_reason", "Conditional result was False"}};
        } else {
          at = co_await run_attempts(st, h, ct, inh, s, &layer);
          any_ran = true;
        }
        std::string label = (*items)[i].to_display();
        if (ct.loop_label) {
          if (auto l = ct.loop_label->render(item_scope)) label = l->to_display();
        }
        if (s.no_log) label = "None";
        at.result[task.loop_var] = (*items)[i];
        at.result["ansible_loop_var"] = task.loop_var;
        report(st, host.name, at, s, true, label, item_started);
        total.changed = total.changed || at.changed;
        total.failed = total.failed || at.failed;
        total.unreachable = total.unreachable || at.unreachable;
        results.push_back(Value(at.result));
        if (at.unreachable) break;
        if (task.loop_pause > 0 && i + 1 < items->size()) {
          boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor,
                                          std::chrono::milliseconds(static_cast<long>(task.loop_pause * 1000)));
          co_await timer.async_wait(boost::asio::use_awaitable);
        }
      }
      total.skipped = !any_ran && !total.failed;
      total.result = Value::Object{{"changed", total.changed}, {"results", Value(std::move(results))}};
      if (total.failed) {
        total.result["failed"] = true;
        total.result["msg"] = "One or more items failed";
      } else if (total.skipped) {
        total.result["skipped"] = true;
        total.result["msg"] = "All items skipped";
      } else {
        total.result["msg"] = "All items completed";
      }
      if (items->empty()) total.result["skipped_reason"] = "No items in the list";
    }
  }

  if (task.register_var && !total.unreachable) {
    host.host_facts[*task.register_var] = Value(total.result);
    st.hostvars_changed.insert(h);
  }
  TaskOutcome out;
  out.status = status_of(total);
  out.ignored = total.failed && s.ignore_errors;
  if (total.unreachable && s.ignore_unreachable) {
    out.status = TaskStatus::kFailed;
    out.ignored = true;
  }
  out.result = std::move(total.result);
  co_return out;
}

}  // namespace fleetk8s::orchestrator

namespace fleetk8s::orchestrator {

Result<bool> when_true(PlaybookEngine::State& st, size_t h, const playbook::Task& task, const Inherited& inh) {
  VarScope scope;
  fill_scope(scope, st, st.host(h), task, inh, {});
  return all_true(inh.when, st.compiled_of(task).when, scope);
}

std::string display_name(PlaybookEngine::State& st, size_t h, const playbook::Task& task, const Inherited& inh) {
  const auto& ct = st.compiled_of(task);
  if (!ct.name) return task.module.empty() ? "include_tasks" : task.module;
  VarScope scope;
  fill_scope(scope, st, st.host(h), task, inh, {});
  auto n = ct.name->render(scope);
  (void)scope.take_error();
  return n ? n->to_display() : task.name;
}

Result<int> hosts_at_once(PlaybookEngine::State& st, size_t h, const playbook::Task& task, const Inherited& inh) {
  const int forks = std::max(1, st.options.forks);
  const playbook::Raw* raw = task.throttle ? &*task.throttle : inh.throttle;
  if (!raw) return forks;
  VarScope scope;
  fill_scope(scope, st, st.host(h), task, inh, {});
  auto v = tmpl::render_value(raw->value, scope, tmpl::Origin{raw->pos.file, raw->pos.line, raw->pos.column});
  const std::string where = raw->pos.to_string() + ": ";
  if (!v) return Error(ErrorKind::kInvalidInput, where + "Failed to convert the throttle value to an integer: " +
                                                     error_text(v.error(), scope));
  const std::optional<long> n = whole_number(*v);
  if (!n)
    return Error(ErrorKind::kInvalidInput, where + "Failed to convert the throttle value to an integer: '" +
                                               v->to_display() + "' is not a number of hosts");
  return *n == 0 ? forks : static_cast<int>(std::min<long>(*n, forks));
}

Result<std::string> render_on_host(PlaybookEngine::State& st, size_t h, const playbook::Raw& raw, const Inherited& inh) {
  static const playbook::Task empty;
  VarScope scope;
  fill_scope(scope, st, st.host(h), empty, inh, {});
  auto v = tmpl::render_value(raw.value, scope, tmpl::Origin{raw.pos.file, raw.pos.line, raw.pos.column});
  if (!v) return Error(ErrorKind::kInvalidInput, error_text(v.error(), scope));
  return v->to_display();
}

}  // namespace fleetk8s::orchestrator
