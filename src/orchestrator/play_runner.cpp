// Plays, batches, the linear and free strategies, blocks with rescue and
// always, handlers, tags and meta tasks: the playbook's control flow. What
// one task does on one host is task_runner.cpp's.
#include <algorithm>
#include <filesystem>
#include <fnmatch.h>
#include <random>
#include <regex>

#include "actions.h"
#include "fleetk8s/playbook/loader.h"
#include "fleetk8s/yaml/node.h"
#include "fleetk8s/orchestrator/parallel.h"
#include "run_state.h"
#include "tag_filter.h"

namespace fleetk8s::orchestrator {

namespace fs = std::filesystem;
using report::TaskStatus;

namespace {

using Hosts = std::vector<size_t>;
using State = PlaybookEngine::State;

Hosts active_of(State& st, const Hosts& hosts) {
  Hosts out;
  for (size_t h : hosts)
    if (st.host(h).active()) out.push_back(h);
  return out;
}

std::vector<std::string> names_of(State& st, const Hosts& hosts) {
  std::vector<std::string> names;
  for (size_t h : hosts) names.push_back(st.host(h).name);
  return names;
}

Inherited inherit(const State& st, const Inherited& outer, const playbook::Task& block) {
  Inherited in = outer;
  in.vars.push_back(&block.vars);
  for (const auto& c : st.compiled_of(block).when) in.when.push_back(&c);
  in.tags.insert(in.tags.end(), block.tags.begin(), block.tags.end());
  for (const auto& e : st.compiled_of(block).environment) in.environment.push_back(&e);
  auto set = [](auto& dst, const auto& src) {
    if (src) dst = src;
  };
  set(in.become, block.become);
  set(in.become_user, block.become_user);
  set(in.ignore_errors, block.ignore_errors);
  set(in.ignore_unreachable, block.ignore_unreachable);
  set(in.no_log, block.no_log);
  set(in.check_mode, block.check_mode);
  set(in.diff, block.diff);
  set(in.run_once, block.run_once);
  set(in.any_errors_fatal, block.any_errors_fatal);
  set(in.timeout, block.timeout);
  if (block.throttle) in.throttle = &*block.throttle;
  return in;
}

class PlayRunner {
 public:
  PlayRunner(State& st, const playbook::Play& play) : st_(st), play_(play) {}

  ssh::Task<Result<void>> run();

 private:
  ssh::Task<Result<void>> run_batch(const Hosts& batch, const Hosts& all);
  ssh::Task<void> run_sections(const Hosts& hosts, const Inherited& base);
  ssh::Task<Hosts> run_list(const std::vector<playbook::Task>& tasks, const Hosts& hosts, const Inherited& inh);
  ssh::Task<Hosts> run_one(const playbook::Task& task, const Hosts& hosts, const Inherited& inh);
  ssh::Task<Hosts> run_block(const playbook::Task& block, const Hosts& hosts, const Inherited& inh);
  ssh::Task<Hosts> run_include(const playbook::Task& task, const Hosts& hosts, const Inherited& inh);
  // Marks `hosts` failed by `e` (an include that cannot run for them), adding them to `failed`.
  void fail_hosts(const Hosts& hosts, const Error& e, Hosts& failed);
  ssh::Task<Hosts> run_module_task(const playbook::Task& task, const Hosts& hosts, const Inherited& inh);
  ssh::Task<void> run_meta(const playbook::Task& task, const Hosts& hosts, const Inherited& inh);
  ssh::Task<void> flush_handlers(const Hosts& hosts, const Inherited& base);
  ssh::Task<void> gather(const Hosts& hosts, const Inherited& base);
  Result<void> load_play_vars(size_t h, const Inherited& base);
  void count(size_t h, const TaskOutcome& o, bool in_rescuable_block);
  void check_fail_limits(const playbook::Task* task, const Inherited& inh, const Hosts& failed_now);

  State& st_;
  const playbook::Play& play_;
  Hosts batch_;
  int rescuable_depth_ = 0;  // > 0 inside a block that has a rescue section
  std::vector<std::unique_ptr<std::vector<playbook::Task>>> included_;  // dynamic include_tasks, kept alive
};

void PlayRunner::count(size_t h, const TaskOutcome& o, bool) {
  auto& s = st_.host(h).stats;
  switch (o.status) {
    case TaskStatus::kOk: ++s.ok; break;
    case TaskStatus::kChanged: ++s.ok; ++s.changed; break;
    case TaskStatus::kSkipped: ++s.skipped; break;
    case TaskStatus::kUnreachable: ++s.unreachable; break;
    case TaskStatus::kFailed:
      if (o.ignored) {
        ++s.ok;
        ++s.ignored;
        if (o.result.count("changed") && o.result.at("changed").is_bool() && o.result.at("changed").as_bool()) ++s.changed;
      } else {
        ++s.failed;
      }
      break;
  }
}

void PlayRunner::check_fail_limits(const playbook::Task* task, const Inherited& inh, const Hosts& failed_now) {
  if (failed_now.empty()) return;
  bool fatal = play_.any_errors_fatal;
  if (inh.any_errors_fatal) fatal = *inh.any_errors_fatal;
  if (task && task->any_errors_fatal) fatal = *task->any_errors_fatal;
  if (fatal && rescuable_depth_ == 0) {
    st_.play_aborted = true;
    st_.reporter.message("\nNO MORE HOSTS LEFT (any_errors_fatal) " + std::string(60, '*'));
    return;
  }
  if (play_.max_fail_percentage) {
    size_t down = 0;
    for (size_t h : batch_)
      if (!st_.host(h).active() && !st_.host(h).ended) ++down;
    if (100.0 * static_cast<double>(down) / static_cast<double>(batch_.size()) > *play_.max_fail_percentage) {
      st_.play_aborted = true;
      st_.reporter.message("\nNO MORE HOSTS LEFT (max_fail_percentage exceeded) " + std::string(48, '*'));
    }
  }
}

ssh::Task<Hosts> PlayRunner::run_module_task(const playbook::Task& task, const Hosts& hosts, const Inherited& inh) {
  Hosts failed;
  Hosts targets = active_of(st_, hosts);
  if (targets.empty()) co_return failed;
  const bool run_once = task.run_once ? *task.run_once : inh.run_once.value_or(false);
  if (run_once) targets.resize(1);
  st_.reporter.task_start(inh.is_handler ? "RUNNING HANDLER" : "TASK", display_name(st_, targets.front(), task, inh));
  st_.reporter.task_hosts(names_of(st_, targets));
  auto at_once = hosts_at_once(st_, targets.front(), task, inh);
  if (!at_once) {
    fail_hosts(targets, at_once.error(), failed);
    co_return failed;
  }
  std::vector<TaskOutcome> outcomes(targets.size());
  co_await parallel_for(targets.size(), *at_once, [&](size_t i) -> ssh::Task<void> {
    outcomes[i] = co_await run_task_on_host(st_, targets[i], task, inh);
  });
  if (run_once) {
    // Ansible applies a run_once result to every host of the batch.
    const auto& first = st_.host(targets.front());
    for (size_t h : active_of(st_, hosts)) {
      if (h == targets.front()) continue;
      auto& other = st_.host(h).host_facts;
      if (task.register_var && first.host_facts.count(*task.register_var))
        other[*task.register_var] = first.host_facts.at(*task.register_var);
      if (task.module == "set_fact")
        for (const auto& [k, v] : first.host_facts) other[k] = v;
      if (outcomes.front().status == TaskStatus::kChanged)
        for (const auto& n : task.notify) st_.host(h).notified.insert(n);
    }
  }
  for (size_t i = 0; i < targets.size(); ++i) {
    auto& host = st_.host(targets[i]);
    const auto& o = outcomes[i];
    count(targets[i], o, rescuable_depth_ > 0);
    if (o.status == TaskStatus::kChanged)
      for (const auto& n : task.notify) host.notified.insert(n);
    if (o.status == TaskStatus::kUnreachable) {
      host.unreachable = true;
      failed.push_back(targets[i]);
    } else if (o.status == TaskStatus::kFailed && !o.ignored) {
      host.failed = true;
      failed.push_back(targets[i]);
    }
  }
  check_fail_limits(&task, inh, failed);
  co_return failed;
}

ssh::Task<void> PlayRunner::run_meta(const playbook::Task& task, const Hosts& hosts, const Inherited& inh) {
  const std::string action = task.args.count("_raw_params") ? task.args.at("_raw_params").to_display() : "";
  Hosts chosen;
  for (size_t h : active_of(st_, hosts))
    if (auto ok = when_true(st_, h, task, inh); ok && *ok) chosen.push_back(h);
  if (action == "flush_handlers") {
    const Inherited none;
    co_await flush_handlers(chosen, none);
  } else if (action == "end_play") {
    if (!chosen.empty()) st_.end_play = true;
  } else if (action == "end_host") {
    for (size_t h : chosen) st_.host(h).ended = true;
  } else if (action == "clear_host_errors") {
    for (size_t h : batch_)
      if (!st_.host(h).unreachable) st_.host(h).failed = false;
  } else if (action == "reset_connection") {
    for (size_t h : chosen) co_await st_.host(h).session->reset();
  }
  // noop, refresh_inventory, clear_facts (facts are not cached): nothing to do.
  co_return;
}

ssh::Task<Hosts> PlayRunner::run_block(const playbook::Task& block, const Hosts& hosts, const Inherited& inh) {
  const Inherited in = inherit(st_, inh, block);
  const Hosts entered = active_of(st_, hosts);
  if (!block.rescue.empty()) ++rescuable_depth_;
  Hosts failed = co_await run_list(block.block, entered, in);
  if (!block.rescue.empty()) --rescuable_depth_;
  if (!block.rescue.empty() && !failed.empty()) {
    Hosts to_rescue;
    for (size_t h : failed) {
      auto& host = st_.host(h);
      if (host.unreachable) continue;
      host.failed = false;
      to_rescue.push_back(h);
    }
    const Hosts still = co_await run_list(block.rescue, to_rescue, in);
    Hosts remaining;
    for (size_t h : failed)
      if (st_.host(h).unreachable || std::find(still.begin(), still.end(), h) != still.end()) remaining.push_back(h);
    for (size_t h : to_rescue) {
      if (std::find(still.begin(), still.end(), h) != still.end()) continue;
      auto& s = st_.host(h).stats;
      if (s.failed > 0) --s.failed;
      ++s.rescued;
    }
    failed = remaining;
  }
  if (!block.always.empty()) {
    Hosts run_on;
    for (size_t h : entered) {
      auto& host = st_.host(h);
      if (host.unreachable || host.ended) continue;
      host.failed = false;
      run_on.push_back(h);
    }
    const Hosts failed_always = co_await run_list(block.always, run_on, in);
    for (size_t h : failed) st_.host(h).failed = !st_.host(h).unreachable;
    for (size_t h : failed_always)
      if (std::find(failed.begin(), failed.end(), h) == failed.end()) failed.push_back(h);
  }
  co_return failed;
}

void PlayRunner::fail_hosts(const Hosts& hosts, const Error& e, Hosts& failed) {
  for (size_t h : hosts) {
    st_.reporter.message("fatal: [" + st_.host(h).name + "]: FAILED! => " + e.message());
    ++st_.host(h).stats.failed;
    st_.host(h).failed = true;
    failed.push_back(h);
  }
}

ssh::Task<Hosts> PlayRunner::run_include(const playbook::Task& task, const Hosts& hosts, const Inherited& inh) {
  if (!task.block.empty() || !task.include_file) co_return co_await run_block(task, hosts, inh);
  // A templated file name: render per host, run each file on its hosts.
  const Inherited in = inherit(st_, inh, task);
  std::map<std::string, Hosts> by_file;
  Hosts failed;
  for (size_t h : active_of(st_, hosts)) {
    auto ok = when_true(st_, h, task, inh);
    if (!ok || !*ok) continue;
    auto file = render_on_host(st_, h, *task.include_file, inh);
    if (!file) {
      fail_hosts({h}, file.error(), failed);
      continue;
    }
    std::string path = *file;
    if (path.front() != '/') {
      const std::string beside = (fs::path(task.pos.file).parent_path() / path).string();
      path = fs::exists(beside) ? beside : (fs::path(play_.base_dir) / path).string();
    }
    by_file[path].push_back(h);
  }
  for (const auto& [path, group] : by_file) {
    auto tasks = playbook::load_task_file(path);
    if (!tasks) {
      fail_hosts(group, tasks.error(), failed);
      continue;
    }
    included_.push_back(std::make_unique<std::vector<playbook::Task>>(std::move(*tasks)));
    if (auto c = st_.compile_tasks(*included_.back()); !c) {
      fail_hosts(group, c.error(), failed);
      continue;
    }
    std::string names;
    for (size_t h : group) names += (names.empty() ? "" : ", ") + st_.host(h).name;
    st_.reporter.message("included: " + path + " for " + names);
    const Hosts f = co_await run_list(*included_.back(), group, in);
    failed.insert(failed.end(), f.begin(), f.end());
  }
  co_return failed;
}

ssh::Task<Hosts> PlayRunner::run_list(const std::vector<playbook::Task>& tasks, const Hosts& hosts,
                                      const Inherited& inh) {
  Hosts failed;
  for (const auto& task : tasks) {
    if (st_.play_aborted || st_.end_play || st_.stopped) break;
    if (active_of(st_, hosts).empty()) break;
    const Hosts f = co_await run_one(task, hosts, inh);
    failed.insert(failed.end(), f.begin(), f.end());
  }
  co_return failed;
}

ssh::Task<Hosts> PlayRunner::run_one(const playbook::Task& task, const Hosts& hosts, const Inherited& inh) {
  const Hosts active = active_of(st_, hosts);
  Hosts f;
  {
    if (task.kind == playbook::Task::Kind::kBlock) {
      f = co_await run_block(task, active, inh);
    } else if (task.kind == playbook::Task::Kind::kIncludeTasks) {
      f = co_await run_include(task, active, inh);
    } else {
      std::vector<std::string> tags = inh.tags;
      tags.insert(tags.end(), task.tags.begin(), task.tags.end());
      if (!tag_selected(tags, st_.options.tags, st_.options.skip_tags)) co_return f;
      if (!st_.started) {
        const auto& want = st_.options.start_at_task;
        if (task.name != want && ::fnmatch(want.c_str(), task.name.c_str(), 0) != 0) co_return f;
        st_.started = true;
      }
      if (task.module == "meta") {
        co_await run_meta(task, active, inh);
        co_return f;
      }
      f = co_await run_module_task(task, active, inh);
    }
  }
  co_return f;
}

ssh::Task<void> PlayRunner::flush_handlers(const Hosts& hosts, const Inherited& base) {
  Inherited in = base;
  in.is_handler = true;
  for (int round = 0; round < 10; ++round) {
    std::map<size_t, std::set<std::string>> snapshot;
    for (size_t h : active_of(st_, hosts)) {
      auto& n = st_.host(h).notified;
      if (!n.empty()) snapshot[h] = std::exchange(n, {});
    }
    if (snapshot.empty()) co_return;
    for (const auto& handler : play_.handlers) {
      Hosts on;
      for (const auto& [h, names] : snapshot) {
        bool hit = names.count(handler.name) > 0;
        for (const auto& topic : handler.listen) hit = hit || names.count(topic) > 0;
        if (hit && st_.host(h).active()) on.push_back(h);
      }
      if (!on.empty()) (void)co_await run_one(handler, on, in);
    }
  }
}

Result<void> PlayRunner::load_play_vars(size_t h, const Inherited& base) {
  auto& host = st_.host(h);
  host.play_vars = play_.vars;
  for (const auto& entry : play_.vars_files) {
    std::vector<playbook::Raw> choices;
    if (entry.value.is_array())
      for (const auto& v : entry.value.as_array()) choices.push_back({v, entry.pos});
    else
      choices.push_back(entry);
    std::string tried;
    bool loaded = false;
    for (const auto& choice : choices) {
      auto name = render_on_host(st_, h, choice, base);
      if (!name) return name.error();
      std::string path = *name;
      if (path.front() != '/') path = (fs::path(play_.base_dir) / path).string();
      if (!fs::exists(path) && choices.size() > 1) {
        tried += (tried.empty() ? "" : ", ") + path;
        continue;
      }
      auto node = yaml::load_file(path);
      if (!node) return node.error().context(entry.pos.to_string() + ": vars_files");
      Value v = yaml::to_value(*node);
      if (!v.is_object() && !v.is_null())
        return Error(ErrorKind::kInvalidInput, path + ": vars_files must hold a mapping of variables");
      if (v.is_object())
        for (auto& [k, x] : v.as_object()) host.play_vars[k] = x;
      loaded = true;
      break;
    }
    if (!loaded)
      return Error(ErrorKind::kInvalidInput, entry.pos.to_string() + ": vars_files: none of these exist: " + tried);
  }
  return {};
}

ssh::Task<void> PlayRunner::gather(const Hosts& hosts, const Inherited& base) {
  Hosts targets = active_of(st_, hosts);
  if (st_.options.smart_gathering)
    targets.erase(std::remove_if(targets.begin(), targets.end(), [&](size_t h) { return st_.host(h).gathered; }),
                  targets.end());
  if (targets.empty()) co_return;
  st_.reporter.task_start("TASK", "Gathering Facts");
  st_.reporter.task_hosts(names_of(st_, targets));
  std::vector<ActionResult> results(targets.size());
  std::vector<std::chrono::system_clock::time_point> started(targets.size()), ended(targets.size());
  co_await parallel_for(targets.size(), st_.options.forks, [&](size_t i) -> ssh::Task<void> {
    const auto& t = st_.host(targets[i]).session->target();
    const bool become = base.become.value_or(t.become.enabled);
    started[i] = std::chrono::system_clock::now();
    st_.reporter.host_task_start(st_.host(targets[i]).name);
    results[i] = co_await gather_facts(st_, targets[i], become, base.become_user.value_or(t.become.user));
    ended[i] = std::chrono::system_clock::now();
  });
  Hosts failed;
  for (size_t i = 0; i < targets.size(); ++i) {
    auto& host = st_.host(targets[i]);
    const auto& r = results[i];
    report::TaskResultEvent e;
    e.host = host.name;
    e.start = started[i];
    e.end = ended[i];
    if (r.unreachable) {
      e.status = TaskStatus::kUnreachable;
      ++host.stats.unreachable;
      host.unreachable = true;
      failed.push_back(targets[i]);
    } else if (r.outcome.failed) {
      e.status = TaskStatus::kFailed;
      ++host.stats.failed;
      host.failed = true;
      failed.push_back(targets[i]);
    } else {
      ++host.stats.ok;
      host.gathered = true;
    }
    if (e.status != TaskStatus::kOk) {
      Value::Object shown{{"changed", false}, {"msg", r.outcome.msg}};
      if (r.unreachable) shown["unreachable"] = true;
      e.result = Value(std::move(shown));
    }
    st_.reporter.task_result(e);
  }
  check_fail_limits(nullptr, base, failed);
}

ssh::Task<void> PlayRunner::run_sections(const Hosts& hosts, const Inherited& base) {
  std::vector<std::string> gather_tags = base.tags;
  gather_tags.push_back("always");  // as Ansible tags its implicit setup task
  if (play_.gather_facts && tag_selected(gather_tags, st_.options.tags, st_.options.skip_tags)) co_await gather(hosts, base);
  for (const auto* section : {&play_.pre_tasks, &play_.tasks, &play_.post_tasks}) {
    if (st_.play_aborted || st_.end_play || st_.stopped) break;
    (void)co_await run_list(*section, hosts, base);
    if (!st_.play_aborted) co_await flush_handlers(hosts, base);
  }
}

ssh::Task<Result<void>> PlayRunner::run_batch(const Hosts& batch, const Hosts& all) {
  batch_ = batch;
  Value::Array batch_names, all_names;
  for (size_t h : batch) batch_names.push_back(st_.host(h).name);
  for (size_t h : all) all_names.push_back(st_.host(h).name);
  st_.shared_magic["ansible_play_batch"] = batch_names;
  st_.shared_magic["ansible_play_hosts"] = batch_names;
  st_.shared_magic["play_hosts"] = batch_names;
  st_.shared_magic["ansible_play_hosts_all"] = all_names;
  st_.shared_magic["ansible_play_name"] = play_.name;

  Inherited base;
  base.become = play_.become;
  base.become_user = play_.become_user;
  base.check_mode = play_.check_mode;
  base.diff = play_.diff;
  base.tags = play_.tags;
  if (play_.throttle) base.throttle = &*play_.throttle;
  static const playbook::Task no_task;
  for (size_t h : batch) {
    auto& host = st_.host(h);
    host.ended = false;
    host.in_recap = true;
    if (auto v = load_play_vars(h, base); !v) co_return v.error();
  }
  st_.hostvars_stale = true;
  if (play_.strategy == "free") {
    co_await parallel_for(batch.size(), st_.options.forks,
                          [&](size_t i) -> ssh::Task<void> {
                            const Hosts one{batch[i]};
                            co_await run_sections(one, base);
                          });
  } else {
    co_await run_sections(batch, base);
  }
  co_return Result<void>{};
}

// Splits the play's hosts into serial batches. A templated size is rendered
// with the first host's variables (its play vars loaded: the play's and -e
// among them), as Ansible renders serial before the play starts.
Result<std::vector<Hosts>> batches(State& st, const playbook::Play& play, const Hosts& hosts) {
  if (play.serial.empty()) return std::vector<Hosts>{hosts};
  static const std::regex kSize(R"(\s*(\d{1,9})(\.\d+)?(%?)\s*)");
  std::vector<size_t> sizes;
  for (const auto& s : play.serial) {
    long n = 0;
    if (s.value.is_int()) {
      n = static_cast<long>(s.value.as_int());
    } else {
      auto text = render_on_host(st, hosts.front(), s, Inherited{});
      if (!text) return text.error();
      std::smatch m;
      if (!std::regex_match(*text, m, kSize))
        return Error(ErrorKind::kInvalidInput, s.pos.to_string() + ": serial is '" + *text +
                                                   "': expected a number of hosts or a percentage like '30%'");
      n = std::stol(m[1].str());
      if (m[3].matched && m[3].length() > 0)
        n = static_cast<long>(static_cast<double>(hosts.size()) * static_cast<double>(n) / 100.0);
    }
    sizes.push_back(static_cast<size_t>(std::max(1L, n)));
  }
  std::vector<Hosts> out;
  size_t i = 0, k = 0;
  while (i < hosts.size()) {
    const size_t n = std::min(sizes[std::min(k, sizes.size() - 1)], hosts.size() - i);
    out.emplace_back(hosts.begin() + static_cast<long>(i), hosts.begin() + static_cast<long>(i + n));
    i += n;
    ++k;
  }
  return out;
}

ssh::Task<Result<void>> PlayRunner::run() {
  st_.play = &play_;
  st_.play_aborted = false;
  st_.end_play = false;
  st_.reporter.play_start(play_.name.empty() ? play_.hosts : play_.name);
  auto selected = st_.inventory.select(play_.hosts);
  Hosts hosts;
  if (selected) {
    std::set<std::string> limit;
    if (!st_.options.limit.empty()) {
      auto l = st_.inventory.select(st_.options.limit);
      if (l) limit.insert(l->begin(), l->end());
    }
    for (const auto& name : *selected) {
      auto it = st_.host_index.find(name);
      if (it == st_.host_index.end()) continue;
      if (!st_.options.limit.empty() && !limit.count(name)) continue;
      if (!st_.only.empty() && !st_.only.count(name)) continue;
      if (!st_.host(it->second).active() && !st_.host(it->second).ended) continue;
      hosts.push_back(it->second);
    }
  }
  if (play_.order == "reverse_inventory") std::reverse(hosts.begin(), hosts.end());
  else if (play_.order == "sorted" || play_.order == "reverse_sorted") {
    std::sort(hosts.begin(), hosts.end(), [&](size_t a, size_t b) { return st_.host(a).name < st_.host(b).name; });
    if (play_.order == "reverse_sorted") std::reverse(hosts.begin(), hosts.end());
  } else if (play_.order == "shuffle") {
    std::shuffle(hosts.begin(), hosts.end(), std::mt19937(std::random_device{}()));
  }
  if (hosts.empty()) {
    st_.reporter.message("skipping: no hosts matched");
    co_return Result<void>{};
  }
  if (!play_.serial.empty())  // a templated serial sees the play's vars and vars_files
    if (auto v = load_play_vars(hosts.front(), Inherited{}); !v) co_return v.error();
  auto split = batches(st_, play_, hosts);
  if (!split) co_return split.error();
  for (const auto& batch : *split) {
    auto r = co_await run_batch(batch, hosts);
    if (!r) co_return r;
    if (st_.play_aborted || st_.end_play || st_.stopped) break;
  }
  co_return Result<void>{};
}

Value::Object groups_object(const inventory::Inventory& inv) {
  Value::Object groups;
  for (const auto& g : inv.group_names()) {
    Value::Array members;
    for (const auto& h : inv.hosts_in(g)) members.push_back(h);
    groups[g] = Value(std::move(members));
  }
  return groups;
}

// The hosts' state (sessions: the pool's when there is one) and the
// variables every host shares.
void set_up(PlaybookEngine::State& st, std::vector<ExecTarget> targets) {
  const Value groups = Value(groups_object(st.inventory));
  for (auto& t : targets) {
    HostState h;
    h.name = t.connect.name;
    h.inventory_vars = st.inventory.host_vars(h.name);
    Value::Array group_names;
    for (const auto& g : st.inventory.groups_of(h.name))
      if (g != "all" && g != "ungrouped") group_names.push_back(g);
    h.magic = Value::Object{{"inventory_hostname", h.name},
                            {"inventory_hostname_short", h.name.substr(0, h.name.find('.'))},
                            {"group_names", Value(std::move(group_names))}};
    h.session = st.pool ? st.pool->session_for(t) : std::make_shared<HostSession>(st.pacer, std::move(t));
    st.host_index[h.name] = st.hosts.size();
    st.hosts.push_back(std::move(h));
  }
  const auto& o = st.options;
  Value::Array run_tags, skip_tags;
  for (const auto& t : o.tags) run_tags.push_back(t);
  if (o.tags.empty()) run_tags.push_back("all");
  for (const auto& t : o.skip_tags) skip_tags.push_back(t);
  st.shared_magic = Value::Object{
      {"groups", groups},
      {"omit", "__omit_place_holder__fleetk8s"},
      {"ansible_check_mode", o.check},
      {"ansible_diff_mode", o.diff},
      {"ansible_run_tags", Value(std::move(run_tags))},
      {"ansible_skip_tags", Value(std::move(skip_tags))},
      {"ansible_forks", o.forks},
      {"ansible_version", Value::Object{{"full", "2.14.0"}, {"major", 2}, {"minor", 14}, {"revision", 0},
                                        {"string", "2.14.0"}}},
      {"inventory_file", o.inventory_file},
      {"inventory_dir", fs::path(o.inventory_file).parent_path().string()},
  };
}

}  // namespace

PlaybookEngine::PlaybookEngine(ssh::Transport& transport, const inventory::Inventory& inventory,
                               std::vector<ExecTarget> targets, RunOptions options, report::PlaybookReporter& reporter)
    : state_(std::make_unique<State>(transport, inventory, std::move(options), reporter)) {
  set_up(*state_, std::move(targets));
}

PlaybookEngine::PlaybookEngine(SessionPool& pool, const inventory::Inventory& inventory,
                               std::vector<ExecTarget> targets, RunOptions options, report::PlaybookReporter& reporter)
    : state_(std::make_unique<State>(pool.transport(), inventory, std::move(options), reporter)) {
  state_->pool = &pool;
  set_up(*state_, std::move(targets));
}

PlaybookEngine::~PlaybookEngine() = default;

ssh::Task<Result<void>> PlaybookEngine::run(const playbook::Playbook& book, std::vector<std::string> only) {
  if (auto c = compile(book); !c) co_return c.error();
  auto& st = *state_;
  st.only = std::set<std::string>(only.begin(), only.end());
  st.started = st.options.start_at_task.empty();
  const fs::path dir = fs::path(book.file).parent_path();
  st.shared_magic["playbook_dir"] = fs::absolute(dir.empty() ? fs::path(".") : dir).lexically_normal().string();
  for (const auto& play : book.plays) {
    if (st.stopped) break;
    PlayRunner runner(st, play);
    auto r = co_await runner.run();
    if (!r) co_return r;
  }
  co_return Result<void>{};
}

std::vector<std::pair<std::string, report::HostStats>> PlaybookEngine::stats() const {
  std::vector<std::pair<std::string, report::HostStats>> out;
  for (const auto& h : state_->hosts) {
    if (!h.in_recap) continue;
    out.emplace_back(h.name, h.stats);
    out.back().second.connect_retries = h.session->connect_retries();
  }
  return out;
}

int PlaybookEngine::exit_code() const {
  bool failed = false, unreachable = false;
  for (const auto& h : state_->hosts) {
    failed = failed || h.stats.failed > 0;
    unreachable = unreachable || h.stats.unreachable > 0;
  }
  return (failed ? 2 : 0) | (unreachable ? 4 : 0);
}

const Value::Object* PlaybookEngine::host_facts(const std::string& host) const {
  auto it = state_->host_index.find(host);
  return it == state_->host_index.end() ? nullptr : &state_->hosts[it->second].host_facts;
}

void PlaybookEngine::set_extra_var(const std::string& key, Value value) {
  state_->options.extra_vars[key] = std::move(value);
}

bool PlaybookEngine::host_down(const std::string& host) const {
  auto it = state_->host_index.find(host);
  return it == state_->host_index.end() || state_->hosts[it->second].failed || state_->hosts[it->second].unreachable;
}

const Value::Object* PlaybookEngine::host_gathered(const std::string& host) const {
  auto it = state_->host_index.find(host);
  return it == state_->host_index.end() ? nullptr : &state_->hosts[it->second].facts_vars;
}

const RunOptions& PlaybookEngine::options() const { return state_->options; }

void PlaybookEngine::stop() {
  if (state_->stopped) return;
  state_->stopped = true;
  state_->reporter.message("\nfleetk8s: interrupted: starting no new task, letting running ones finish");
}

bool PlaybookEngine::stopped() const { return state_->stopped; }

ssh::Task<Result<PlaybookEngine::HostLink>> PlaybookEngine::host_link(const std::string& host) {
  auto it = state_->host_index.find(host);
  if (it == state_->host_index.end()) co_return Error(ErrorKind::kNotFound, host + ": not a host of this run");
  HostSession& session = *state_->hosts[it->second].session;
  auto c = co_await session.connection();
  if (!c) co_return c.error();
  HostLink link;
  link.connection = *c;
  link.become = session.target().become;
  co_return link;
}

ssh::Task<Result<CommandResult>> PlaybookEngine::run_as_root(const std::string& host, std::string script,
                                                             std::chrono::milliseconds timeout) {
  auto it = state_->host_index.find(host);
  if (it == state_->host_index.end()) co_return Error(ErrorKind::kNotFound, host + ": not a host of this run");
  co_return co_await state_->hosts[it->second].session->run(std::move(script), true, "root", timeout);
}

ssh::Task<void> PlaybookEngine::close() {
  if (state_->pool) co_return;  // the pool's sessions stay open for the next engine
  auto& hosts = state_->hosts;
  co_await parallel_for(hosts.size(), state_->options.forks,
                        [&](size_t i) -> ssh::Task<void> { co_await hosts[i].session->close(); });
}

}  // namespace fleetk8s::orchestrator
