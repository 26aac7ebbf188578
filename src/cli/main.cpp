// fleetk8s: provision and keep converged Kubernetes fleets over SSH.
#include <malloc.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <sstream>

#include "commands.h"
#include "open_files.h"
#include "fleetk8s/report/log.h"
#include "fleetk8s/report/secrets.h"
#include "fleetk8s/ssh/library.h"
#include "fleetk8s/ssh/transport.h"

int main(int argc, char** argv) {
  CLI::App app{"fleetk8s: agentless provisioning of Kubernetes fleets over SSH"};
  // The SSH library decides which keys and hosts work (RSA needs libssh2 1.11): say which it is.
  app.set_version_flag("--version", [] {
    return std::string("fleetk8s " FLEETK8S_VERSION) + "\n" + fleetk8s::ssh::ssh_library_text();
  });
  app.require_subcommand(1);
  app.footer(
      "Exit status (each command's --help has its own): 0 ok / converged; 1 bad input, nothing run;\n"
      "check: 2 drift found; up/check/reset: 3 some host failed, 4 some host unreachable, 5 preflight\n"
      "refused, 6 another run holds the cluster's run lock; run/exec: Ansible's 2 failed, 4 unreachable,\n"
      "6 both; 130 interrupted.");
  std::vector<std::pair<CLI::App*, fleetk8s::cli::Runner>> commands;
  auto add = [&](fleetk8s::cli::Runner r) { commands.emplace_back(app.get_subcommands({}).back(), std::move(r)); };
  add(fleetk8s::cli::add_exec_command(app));
  add(fleetk8s::cli::add_inventory_command(app));
  add(fleetk8s::cli::add_run_command(app));
  add(fleetk8s::cli::add_up_command(app));
  add(fleetk8s::cli::add_check_command(app));
  add(fleetk8s::cli::add_reset_command(app));
  add(fleetk8s::cli::add_kubeconfig_command(app));
  add(fleetk8s::cli::add_backup_command(app));
  add(fleetk8s::cli::add_certs_command(app));
  add(fleetk8s::cli::add_restore_command(app));
  add(fleetk8s::cli::add_remove_command(app));
  add(fleetk8s::cli::add_upgrade_command(app));
  add(fleetk8s::cli::add_watch_command(app));
  add(fleetk8s::cli::add_schedule_command(app));
  add(fleetk8s::cli::add_completion_command(app));
  add(fleetk8s::cli::add_man_command(app));
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version exit 0; every other command-line error is bad
    // input, exit 1 as documented (not CLI11's own codes). CLI11 quotes the
    // offending arguments: masked like every other error.
    std::ostringstream out, err;
    const int code = app.exit(e, out, err);
    std::fputs(out.str().c_str(), stdout);
    std::fputs(fleetk8s::report::mask_secrets(err.str()).c_str(), stderr);
    return code == 0 ? 0 : 1;
  }

  // Every host's session is a socket: the usual soft limit of 1024 would
  // cap a run near a thousand hosts whatever the hard limit allows.
  fleetk8s::cli::raise_open_files_limit();
  // Each host's SSH session holds one ~80 KB block of library state
  // (libssh2's session, its packet buffers inside), touched only in part.
  // Served by mmap, its untouched pages cost no memory (the cluster's check
  // on 300 hosts: 42.1 -> 39.3 MB peak RSS). MALLOC_MMAP_THRESHOLD_ still wins.
  if (!std::getenv("MALLOC_MMAP_THRESHOLD_")) ::mallopt(M_MMAP_THRESHOLD, 64 * 1024);
  if (auto init = fleetk8s::ssh::global_init(); !init) {
    fleetk8s::report::print_error(init.error().message());
    return 1;
  }
  // Errors are values; an exception reaching here is a bug or out of
  // memory: said (masked) in one line, never a core dump with a secret in it.
  try {
    for (auto& [cmd, run] : commands) {
      if (cmd->parsed()) return run();
    }
  } catch (const std::exception& e) {
    fleetk8s::report::print_error(std::string("internal error: ") + e.what());
  }
  return 1;
}
