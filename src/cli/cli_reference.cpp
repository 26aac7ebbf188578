#include "cli_reference.h"

namespace fleetk8s::cli {

namespace {

OptionRef describe(const CLI::Option& opt, bool positional) {
  OptionRef ref;
  if (positional) {
    ref.names.push_back(opt.get_name(true));
  } else {
    for (const auto& s : opt.get_snames()) ref.names.push_back("-" + s);
    for (const auto& l : opt.get_lnames()) ref.names.push_back("--" + l);
  }
  ref.help = opt.get_description();
  ref.required = opt.get_required();
  ref.repeatable = opt.get_items_expected_max() > 1;
  if (opt.get_expected_max() == 0) return ref;  // a flag (-v, -vv counts)
  // CLI11 names a value TYPE[:VALIDATOR], e.g. "TEXT:{strict,off}", "INT:INT in [1 - 9]".
  const std::string type = opt.get_type_name();
  ref.value = type.substr(0, type.find(':'));
  if (const auto open = type.find(":{"); open != std::string::npos) {
    const auto close = type.find('}', open);
    std::string list = type.substr(open + 2, close == std::string::npos ? std::string::npos : close - open - 2);
    for (std::size_t start = 0; start <= list.size();) {
      const auto comma = std::min(list.find(',', start), list.size());
      ref.choices.push_back(list.substr(start, comma - start));
      start = comma + 1;
    }
    ref.kind = ValueKind::kChoice;
  } else if (ref.value == "INT" || ref.value == "UINT" || ref.value == "FLOAT" || ref.value == "NUMBER") {
    ref.kind = ValueKind::kNumber;
  } else {
    ref.kind = ValueKind::kFile;
  }
  return ref;
}

CommandRef describe(const CLI::App& app, std::vector<std::string> path) {
  CommandRef ref;
  ref.path = std::move(path);
  ref.help = app.get_description();
  ref.footer = app.get_footer();
  for (const CLI::Option* opt : app.get_options()) {
    if (opt->get_group().empty()) continue;
    if (opt->nonpositional()) ref.options.push_back(describe(*opt, false));
    if (opt->get_positional()) ref.positionals.push_back(describe(*opt, true));
  }
  for (const CLI::App* sub : app.get_subcommands({})) {
    if (sub->get_group().empty()) continue;
    auto sub_path = ref.path;
    sub_path.push_back(sub->get_name());
    ref.subcommands.push_back(describe(*sub, std::move(sub_path)));
  }
  return ref;
}

}  // namespace

CommandRef describe(const CLI::App& app) { return describe(app, {}); }

std::string command_line(const CommandRef& command) {
  std::string line = "fleetk8s";
  for (const auto& word : command.path) line += " " + word;
  return line;
}

}  // namespace fleetk8s::cli
