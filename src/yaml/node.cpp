#include "fleetk8s/yaml/node.h"

namespace fleetk8s::yaml {

Node Node::null(Mark mark) {
  Node n;
  n.mark_ = mark;
  return n;
}

Node Node::scalar(std::string text, bool quoted, Mark mark, std::string tag) {
  Node n;
  n.kind_ = Kind::kScalar;
  n.mark_ = mark;
  n.text_ = std::move(text);
  n.quoted_ = quoted;
  n.tag_ = std::move(tag);
  return n;
}

Node Node::sequence(std::vector<Node> items, Mark mark, std::string tag) {
  Node n;
  n.kind_ = Kind::kSequence;
  n.mark_ = mark;
  n.items_ = std::move(items);
  n.tag_ = std::move(tag);
  return n;
}

Node Node::map(std::vector<std::pair<Node, Node>> entries, Mark mark, std::string tag) {
  Node n;
  n.kind_ = Kind::kMap;
  n.mark_ = mark;
  n.entries_ = std::move(entries);
  n.tag_ = std::move(tag);
  return n;
}

const Node* Node::get(std::string_view key) const {
  for (const auto& [k, v] : entries_) {
    if (k.is_scalar() && k.scalar() == key) return &v;
  }
  return nullptr;
}

const char* Node::kind_name() const {
  switch (kind_) {
    case Kind::kNull: return "null";
    case Kind::kScalar: return "scalar";
    case Kind::kSequence: return "sequence";
    case Kind::kMap: return "mapping";
  }
  return "node";
}

}  // namespace fleetk8s::yaml
