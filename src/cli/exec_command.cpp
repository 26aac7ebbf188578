// `fleetk8s exec`: one command on many hosts at once.
#include <utility>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <chrono>
#include <cstdio>
#include <memory>

#include "commands.h"
#include "connection_flags.h"
#include "open_files.h"
#include "fleetk8s/inventory/inventory.h"
#include "fleetk8s/orchestrator/exec_runner.h"
#include "fleetk8s/orchestrator/targets.h"
#include "fleetk8s/report/exec_report.h"
#include "fleetk8s/inventory/pattern.h"
#include "fleetk8s/report/log.h"

namespace fleetk8s::cli {

namespace {

struct ExecArgs {
  ConnectionFlags conn;
  double timeout = 0;
  std::vector<std::string> command;
};

int fail(const Error& e) {
  report::print_error(e.message());
  return report::kExitBadInput;
}

std::string join(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : " ") + w;
  return out;
}

int run(const ExecArgs& args) {
  report::set_verbosity(args.conn.verbosity);
  auto inv = inventory::Inventory::load(args.conn.inventory);
  if (!inv) return fail(inv.error());
  // A --limit part that matches nothing is an error, as for run and up.
  auto hosts = args.conn.limit.empty() ? inv->select("all") : inventory::select_limit(*inv, args.conn.limit);
  if (!hosts)
    return fail(args.conn.limit.empty() ? hosts.error() : hosts.error().context("--limit " + args.conn.limit));
  auto defaults = resolve(args.conn);
  if (!defaults) return fail(defaults.error());
  auto targets = orchestrator::make_targets(*inv, *hosts, *defaults);
  if (!targets) return fail(targets.error());

  orchestrator::ExecRequest request;
  request.command = join(args.command);
  request.forks = args.conn.forks;
  request.connect = connect_pacing(args.conn);
  auto forks = fit_exec_forks(*targets, request.forks, request.connect.parallel);
  if (!forks) return fail(forks.error());
  request.forks = *forks;
  request.options.timeout = std::chrono::milliseconds(static_cast<long>(args.timeout * 1000));

  boost::asio::io_context io(1);
  auto transport = ssh::make_ssh_transport(io.get_executor(), [](const std::string& host, const std::string& m) {
    report::log_warn(host + ": " + m);
  });
  const auto start = std::chrono::steady_clock::now();
  std::vector<report::HostOutcome> outcomes;
  boost::asio::co_spawn(
      io,
      [&]() -> ssh::Task<void> {
        outcomes = co_await orchestrator::run_exec(*transport, *targets, request, [](const report::HostOutcome& o) {
          std::fputs(report::format_host_block(o).c_str(), stdout);
          std::fflush(stdout);
        });
      },
      boost::asio::detached);
  io.run();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::fputs(("\n" + report::format_summary(outcomes, seconds)).c_str(), stdout);
  return report::exit_code(outcomes);
}

}  // namespace

Runner add_exec_command(CLI::App& app) {
  auto args = std::make_shared<ExecArgs>();
  auto* cmd = app.add_subcommand("exec", "Run a shell command on every selected host at once");
  add_connection_flags(*cmd, args->conn);
  cmd->add_option("-t,--timeout", args->timeout, "Seconds the command may run on each host (0 = no limit)")
      ->check(seconds_check(true, 604800));  // a week
  cmd->add_option("command", args->command, "The command, after --")->required();
  cmd->footer(
      "Exit status: 0 every host succeeded, 2 some host failed (non-zero exit, timeout, sudo refused),\n"
      "4 some host was unreachable, 6 both, 1 bad input.");
  return [args]() { return run(*args); };
}

}  // namespace fleetk8s::cli
