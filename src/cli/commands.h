// The subcommands of `fleetk8s`. Each registers itself on the app and
// returns the function that runs it once the command line is parsed.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

namespace fleetk8s::cli {

// Runs the chosen subcommand and returns the process exit status.
using Runner = std::function<int()>;

Runner add_exec_command(CLI::App& app);
Runner add_inventory_command(CLI::App& app);
Runner add_run_command(CLI::App& app);
Runner add_up_command(CLI::App& app);
Runner add_check_command(CLI::App& app);
Runner add_reset_command(CLI::App& app);
Runner add_kubeconfig_command(CLI::App& app);
Runner add_backup_command(CLI::App& app);
Runner add_certs_command(CLI::App& app);
Runner add_restore_command(CLI::App& app);
Runner add_remove_command(CLI::App& app);
Runner add_upgrade_command(CLI::App& app);
Runner add_watch_command(CLI::App& app);  // watch_command.cpp
Runner add_schedule_command(CLI::App& app);
// Both read the whole `app` when they run: register them last.
Runner add_completion_command(CLI::App& app);  // completion.cpp
Runner add_man_command(CLI::App& app);         // man_page.cpp, hidden

}  // namespace fleetk8s::cli
