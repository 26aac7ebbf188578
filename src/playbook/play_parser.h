// One play mapping to a Play (playbook/play.py's keywords).
#pragma once

#include "fleetk8s/core/result.h"
#include "fleetk8s/playbook/model.h"
#include "fleetk8s/yaml/node.h"
#include "node_reader.h"
#include "task_parser.h"

namespace fleetk8s::playbook {

// Reads a play from `node` (a mapping) of `reader`'s file.
Result<Play> parse_play(LoadState& state, const NodeReader& reader, const yaml::Node& node);

}  // namespace fleetk8s::playbook
