#include "fleetk8s/playbook/model.h"

namespace fleetk8s::playbook {

std::string Position::to_string() const {
  return file + ":" + std::to_string(line) + ":" + std::to_string(column);
}

}  // namespace fleetk8s::playbook
