// `fleetk8s inventory list`: the inventory as `ansible-inventory --list` prints it.
#include <cstdio>
#include <memory>

#include "commands.h"
#include "fleetk8s/inventory/inventory.h"

namespace fleetk8s::cli {

Runner add_inventory_command(CLI::App& app) {
  auto path = std::make_shared<std::string>();
  auto* cmd = app.add_subcommand("inventory", "Inspect inventories");
  cmd->require_subcommand(1);
  auto* list = cmd->add_subcommand("list", "Print hosts, groups and variables as JSON (as ansible-inventory --list)");
  list->add_option("-i,--inventory", *path, "Inventory file")->required();
  return [path]() {
    auto inv = inventory::Inventory::load(*path);
    if (!inv) {
      std::fprintf(stderr, "fleetk8s: %s\n", inv.error().message().c_str());
      return 1;
    }
    std::puts(inv->to_ansible_list().to_json(4).c_str());
    return 0;
  };
}

}  // namespace fleetk8s::cli
