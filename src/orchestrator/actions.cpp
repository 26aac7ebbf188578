#include "actions.h"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <filesystem>
#include <fstream>

#include "fleetk8s/core/file.h"
#include "fleetk8s/core/text.h"
#include "fleetk8s/modules/facts.h"
#include "fleetk8s/playbook/module_catalog.h"
#include "fleetk8s/template/render.h"

namespace fleetk8s::orchestrator {

namespace fs = std::filesystem;

namespace {

ActionResult failed(std::string msg) {
  ActionResult r;
  r.outcome.failed = true;
  r.outcome.msg = std::move(msg);
  return r;
}

// A script that could not run on the host: failed, or unreachable when the
// connection is gone.
ActionResult session_failed(const Error& e) {
  ActionResult r = failed(e.message());
  r.unreachable = is_unreachable(e.kind());
  return r;
}

std::string str(const Value::Object& args, const std::string& key) {
  auto it = args.find(key);
  return it == args.end() || it->second.is_null() ? std::string() : it->second.to_display();
}

// A controller-side file named by a task (copy src, template src): as
// written when absolute, else looked up the way Ansible does without roles:
// SUBDIR/ then the directory itself, beside the task's file, then beside
// the play's.
Result<std::string> find_local_file(const ActionContext& ctx, const std::string& name, const char* subdir) {
  if (!name.empty() && name.front() == '/') return name;
  auto dir_of = [](const std::string& d) { return d.empty() ? std::string(".") : d; };
  std::vector<std::string> dirs{dir_of(fs::path(ctx.task.pos.file).parent_path().string())};
  if (ctx.st.play && dir_of(ctx.st.play->base_dir) != dirs.front()) dirs.push_back(dir_of(ctx.st.play->base_dir));
  std::string tried;
  for (const auto& d : dirs) {
    for (const std::string& candidate : {d + "/" + subdir + "/" + name, d + "/" + name}) {
      if (fs::is_regular_file(candidate)) return candidate;
      tried += (tried.empty() ? "" : ", ") + candidate;
    }
  }
  return Error(ErrorKind::kNotFound, "could not find '" + name + "' (searched " + tried + ")");
}

ssh::Task<ActionResult> run_script(ActionContext& ctx, const modules::Module& module, const Value::Object& args) {
  auto script = module.script(args, ctx.mode);
  if (!script) co_return failed(script.error().message());
  auto& host = ctx.st.host(ctx.host);
  std::string text = std::move(*script);  // one copy in flight per host, freed once sent
  text.insert(0, ctx.env_prefix);
  auto ran = co_await host.session->run(std::move(text), ctx.become, ctx.become_user, ctx.timeout);
  if (!ran) co_return session_failed(ran.error());
  ActionResult r;
  r.outcome = module.interpret(*ran, args, ctx.mode);
  co_return r;
}

ssh::Task<ActionResult> run_copy(ActionContext& ctx, Value::Object args) {
  if (auto src = str(args, "src"); !src.empty()) {
    auto path = find_local_file(ctx, src, "files");
    if (!path) co_return failed(path.error().message());
    auto content = read_file(*path);
    if (!content) co_return failed(content.error().message());
    args.erase("src");
    args["content"] = std::move(*content);
    if (auto dest = str(args, "dest"); !dest.empty() && dest.back() == '/')
      args["dest"] = dest + fs::path(*path).filename().string();
  }
  co_return co_await run_script(ctx, *modules::find_module("copy"), args);
}

ssh::Task<ActionResult> run_template(ActionContext& ctx, Value::Object args) {
  auto path = find_local_file(ctx, str(args, "src"), "templates");
  if (!path) co_return failed(path.error().message());
  auto& cache = ctx.st.template_files;
  auto it = cache.find(*path);
  if (it == cache.end()) {
    auto text = read_file(*path);
    if (!text) co_return failed(text.error().message());
    tmpl::TemplateOptions options;
    options.escape_backslashes = false;
    auto parsed = tmpl::Template::parse(*text, tmpl::Origin{*path, 1, 1}, options);
    if (!parsed) co_return failed(parsed.error().message());
    it = cache.emplace(*path, std::move(*parsed)).first;
  }
  Value::Object extra{{"template_path", *path},
                      {"template_fullpath", fs::absolute(*path).string()},
                      {"template_host", ctx.st.host(ctx.host).name},
                      {"ansible_managed", "Ansible managed"}};
  tmpl::MapScope fallback = tmpl::MapScope::borrowing(extra, &ctx.scope);
  auto rendered = it->second.render(fallback);
  if (auto e = ctx.scope.take_error()) co_return failed(e->message());
  if (!rendered) co_return failed(rendered.error().message());
  Value::Object copy_args{{"dest", args["dest"]}, {"backup", args["backup"]},
                          {"content", rendered->is_string() ? rendered->as_string() : rendered->to_display()}};
  for (const char* k : {"mode", "owner", "group"})
    if (auto a = args.find(k); a != args.end() && !a->second.is_null()) copy_args[k] = a->second;
  co_return co_await run_script(ctx, *modules::find_module("copy"), copy_args);
}

ssh::Task<ActionResult> run_fetch(ActionContext& ctx, const Value::Object& args) {
  const std::string src = str(args, "src");
  std::string dest = str(args, "dest");
  const bool flat = args.at("flat").as_bool();
  const std::string host = ctx.st.host(ctx.host).name;
  if (flat) {
    if (!dest.empty() && dest.back() == '/') dest += fs::path(src).filename().string();
  } else {
    dest += (dest.empty() || dest.back() == '/' ? "" : "/") + host + (src.front() == '/' ? "" : "/") + src;
  }
  const std::string q = shell_quote(src);
  const std::string script = ctx.env_prefix + "if [ -f " + q + " ]; then base64 < " + q +
                             "; elif [ -d " + q + " ]; then echo 'remote file is a directory, fetch cannot work on directories' >&2; exit 3;"
                             " else exit 4; fi\n";
  auto ran = co_await ctx.st.host(ctx.host).session->run(script, ctx.become, ctx.become_user, ctx.timeout);
  if (!ran) co_return session_failed(ran.error());
  ActionResult r;
  r.outcome.result["dest"] = dest;
  if (ran->exit_status == 4) {
    r.outcome.msg = "the remote file does not exist, not transferring, ignored";
    r.outcome.failed = args.at("fail_on_missing").as_bool();
    if (r.outcome.failed) r.outcome.msg = "the remote file does not exist: " + src;
    co_return r;
  }
  if (!ran->success()) co_return failed(ran->err.empty() ? "fetch failed: " + ran->describe_exit() : ran->err);
  const std::string content = base64_decode(ran->out);
  auto existing = read_file(dest);
  if (existing && *existing == content) co_return r;
  r.outcome.changed = true;
  if (ctx.mode.check) co_return r;
  std::error_code ec;
  fs::create_directories(fs::path(dest).parent_path(), ec);
  std::ofstream out(dest, std::ios::binary | std::ios::trunc);
  out << content;
  if (!out.good()) co_return failed(dest + ": cannot write the fetched file");
  co_return r;
}

ActionResult run_debug(ActionContext& ctx, const Value::Object& args) {
  ActionResult r;
  r.always_show = true;
  if (auto var = str(args, "var"); !var.empty()) {
    auto v = tmpl::render("{{ " + var + " }}", ctx.scope, tmpl::Origin{ctx.task.pos.file, ctx.task.pos.line, 0});
    (void)ctx.scope.take_error();
    r.outcome.result[var] = v ? *v : Value("VARIABLE IS NOT DEFINED!");
  } else {
    r.outcome.result["msg"] = args.at("msg");
  }
  return r;
}

ActionResult run_set_fact(ActionContext& ctx, Value::Object args) {
  args.erase("cacheable");
  auto& host = ctx.st.host(ctx.host);
  for (auto& [k, v] : args) host.host_facts[k] = v;
  ctx.st.hostvars_changed.insert(ctx.host);
  ActionResult r;
  r.outcome.result["ansible_facts"] = Value(std::move(args));
  return r;
}

ActionResult run_assert(ActionContext& ctx, const Value::Object& args) {
  Value::Array that;
  const Value& t = args.at("that");
  if (t.is_array()) that = t.as_array();
  else that.push_back(t);
  const tmpl::Origin where{ctx.task.pos.file, ctx.task.pos.line, ctx.task.pos.column};
  for (const auto& cond : that) {
    auto ok = cond.is_string() ? tmpl::eval_condition(cond.as_string(), ctx.scope, where)
                               : Result<bool>(tmpl::is_truthy(cond));
    if (auto e = ctx.scope.take_error()) return failed(e->message());
    if (!ok) return failed(ok.error().message());
    if (!*ok) {
      ActionResult r = failed("Assertion failed");
      if (auto m = args.find("fail_msg"); m != args.end() && !m->second.is_null()) r.outcome.msg = m->second.to_display();
      r.outcome.result["assertion"] = cond;
      r.outcome.result["evaluated_to"] = false;
      return r;
    }
  }
  ActionResult r;
  r.outcome.msg = "All assertions passed";
  if (auto m = args.find("success_msg"); m != args.end() && !m->second.is_null()) r.outcome.msg = m->second.to_display();
  return r;
}

ssh::Task<ActionResult> run_pause(const Value::Object& args) {
  if (!str(args, "prompt").empty())
    co_return failed("pause: prompt needs an interactive terminal; fleetk8s runs unattended (use seconds or minutes)");
  std::int64_t seconds = 0;
  if (auto m = args.find("minutes"); m != args.end() && m->second.is_int()) seconds += 60 * m->second.as_int();
  if (auto s = args.find("seconds"); s != args.end() && s->second.is_int()) seconds += s->second.as_int();
  boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor, std::chrono::seconds(seconds));
  co_await timer.async_wait(boost::asio::use_awaitable);
  ActionResult r;
  r.outcome.result["delta"] = seconds;
  co_return r;
}

}  // namespace

ssh::Task<ActionResult> gather_facts(PlaybookEngine::State& st, size_t host, bool become,
                                     const std::string& become_user) {
  auto& h = st.host(host);
  auto ran = co_await h.session->run(modules::facts_script(), become, become_user, std::chrono::seconds(60));
  if (!ran) co_return session_failed(ran.error());
  auto facts = modules::parse_facts(ran->out);
  if (!facts) co_return failed("gathering facts: " + facts.error().message());
  h.facts_vars.clear();
  for (const auto& [k, v] : *facts)
    if (k != "facts") h.facts_vars["ansible_" + k] = v;  // ansible_facts is the whole (facts_object)
  st.hostvars_changed.insert(host);
  ActionResult r;
  r.outcome.result["ansible_facts"] = Value(std::move(*facts));
  co_return r;
}

ssh::Task<ActionResult> run_action(ActionContext& ctx, Value::Object args) {
  const std::string& m = ctx.task.module;
  if (m == "debug") co_return run_debug(ctx, args);
  if (m == "set_fact") co_return run_set_fact(ctx, std::move(args));
  if (m == "fail") co_return failed(args.at("msg").to_display());
  if (m == "assert") co_return run_assert(ctx, args);
  if (m == "pause") co_return co_await run_pause(args);
  if (m == "setup") co_return co_await gather_facts(ctx.st, ctx.host, ctx.become, ctx.become_user);
  if (m == "template") co_return co_await run_template(ctx, std::move(args));
  if (m == "copy") co_return co_await run_copy(ctx, std::move(args));
  if (m == "fetch") co_return co_await run_fetch(ctx, args);
  const modules::Module* module = modules::find_module(m);
  if (!module) co_return failed("module '" + m + "' is not implemented on hosts");
  co_return co_await run_script(ctx, *module, args);
}

}  // namespace fleetk8s::orchestrator
