// `fleetk8s run`: an Ansible-syntax playbook on the inventory's hosts.
#include <utility>

#include <cstdio>
#include <memory>

#include "commands.h"
#include "connection_flags.h"
#include "engine_setup.h"
#include "extra_vars.h"
#include "fleetk8s/inventory/inventory.h"
#include "fleetk8s/inventory/pattern.h"
#include "fleetk8s/orchestrator/playbook_engine.h"
#include "fleetk8s/orchestrator/targets.h"
#include "fleetk8s/playbook/loader.h"
#include "fleetk8s/report/exec_report.h"
#include "fleetk8s/report/log.h"

namespace fleetk8s::cli {

namespace {

struct RunArgs {
  ConnectionFlags conn;
  std::string playbook;
  bool check = false;
  bool diff = false;
  std::vector<std::string> extra_vars;
  std::string tags, skip_tags, start_at_task;
  ReportFlags report;
};

int fail(const Error& e) {
  report::print_error(e.message());
  return report::kExitBadInput;
}

int run(const RunArgs& args) {
  report::set_verbosity(args.conn.verbosity);
  // Everything is read and checked before any host is contacted.
  auto book = playbook::load_playbook(args.playbook);
  if (!book) return fail(book.error());
  auto inv = inventory::Inventory::load(args.conn.inventory);
  if (!inv) return fail(inv.error());
  auto hosts = args.conn.limit.empty() ? inv->select("all") : inventory::select_limit(*inv, args.conn.limit);
  if (!hosts)
    return fail(args.conn.limit.empty() ? hosts.error() : hosts.error().context("--limit " + args.conn.limit));
  auto extra = parse_extra_vars(args.extra_vars);
  if (!extra) return fail(extra.error());
  auto defaults = resolve(args.conn);
  if (!defaults) return fail(defaults.error());
  auto targets = orchestrator::make_targets(*inv, *hosts, *defaults);
  if (!targets) return fail(targets.error());

  orchestrator::RunOptions options;
  options.check = args.check;
  options.diff = args.diff;
  options.forks = args.conn.forks;
  options.connect = connect_pacing(args.conn);
  // The limit's hosts by name: its @FILE parts are read once, here.
  if (!args.conn.limit.empty())
    for (const auto& h : *hosts) options.limit += (options.limit.empty() ? "" : ",") + h;
  options.tags = split_commas(args.tags);
  options.skip_tags = split_commas(args.skip_tags);
  options.start_at_task = args.start_at_task;
  options.extra_vars = std::move(*extra);
  options.inventory_file = args.conn.inventory;

  report::RunInfo info;
  info.command = "run";
  info.inventory = args.conn.inventory;
  info.playbook = args.playbook;
  info.check = args.check;
  Reporting reporting(args.report, args.conn.verbosity, info, *hosts);
  auto code = run_engine(
      *inv, std::move(*targets), options, reporting.reporter(),
      [&](orchestrator::PlaybookEngine& engine) {
        auto compiled = engine.compile(*book);
        if (compiled) reporting.begin();
        return compiled;
      },
      [&](orchestrator::PlaybookEngine& engine) -> ssh::Task<Result<int>> {
        auto outcome = co_await engine.run(*book);
        if (!outcome) co_return outcome.error();
        co_return engine.stopped() ? 130 : engine.exit_code();
      });
  return reporting.finish(code ? *code : fail(code.error()));
}

}  // namespace

Runner add_run_command(CLI::App& app) {
  auto args = std::make_shared<RunArgs>();
  auto* cmd = app.add_subcommand("run", "Run an Ansible-syntax playbook on the inventory's hosts");
  add_connection_flags(*cmd, args->conn);
  cmd->add_option("playbook", args->playbook, "The playbook file (YAML, Ansible syntax)")->required();
  cmd->add_flag("-C,--check", args->check, "Change nothing; report what would change");
  cmd->add_flag("-D,--diff", args->diff, "Show the differences in changed files");
  cmd->add_option("-e,--extra-vars", args->extra_vars, "key=value, a YAML/JSON mapping, or @FILE (repeatable)");
  cmd->add_option("-t,--tags", args->tags, "Run only tasks with these tags (comma-separated)");
  cmd->add_option("--skip-tags", args->skip_tags, "Skip tasks with these tags (comma-separated)");
  cmd->add_option("--start-at-task", args->start_at_task, "Start at the task with this name (glob)");
  add_report_flags(*cmd, args->report);
  cmd->footer(
      "Exit status: 0 every host ok, 2 some host failed, 4 some host unreachable, 6 both,\n"
      "1 bad input (playbook, inventory or arguments; nothing was run), 130 interrupted.\n"
      "Each run leaves a run folder (events.jsonl, hosts/HOST.log, summary.json): see --run-dir.");
  return [args]() { return run(*args); };
}

}  // namespace fleetk8s::cli
