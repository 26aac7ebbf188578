// YAML text -> Node tree, built from yaml-cpp's event stream so that every
// node keeps its position and duplicate keys can be caught (yaml-cpp's own
// Node API silently keeps both).
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include "fleetk8s/core/file.h"
#include "fleetk8s/yaml/node.h"

namespace fleetk8s::yaml {
namespace {

Mark to_mark(const YAML::Mark& m) {
  if (m.is_null()) return {};
  return {m.line + 1, m.column + 1};
}

// yaml-cpp reports "?" for plain and "!" for quoted untagged nodes.
std::string explicit_tag(const std::string& tag) {
  return tag == "?" || tag == "!" ? std::string() : tag;
}

std::string describe_key(const Node& key) {
  if (key.is_null()) return "null";
  if (key.is_scalar()) return "\"" + key.scalar() + "\"";
  return std::string("(") + key.kind_name() + ")";
}

bool same_key(const Node& a, const Node& b) {
  if (a.kind() != b.kind()) return false;
  return a.is_null() || (a.is_scalar() && a.scalar() == b.scalar());
}

// Builds the tree from events. The first semantic error (a duplicate key)
// is kept and later events are ignored.
class TreeBuilder : public YAML::EventHandler {
 public:
  explicit TreeBuilder(const std::string& source) : source_(source) {}

  std::optional<Node>& root() { return root_; }
  std::optional<Error>& error() { return error_; }

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    add(Node::null(to_mark(mark)), anchor);
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    auto it = anchors_.find(anchor);
    if (it == anchors_.end()) {
      fail(to_mark(mark), "alias to an unknown anchor");
      return;
    }
    add(it->second, 0);
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    add(Node::scalar(value, tag == "!", to_mark(mark), explicit_tag(tag)), anchor);
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    stack_.push_back({Node::Kind::kSequence, to_mark(mark), explicit_tag(tag), anchor, {}, {}, {}});
  }
  void OnSequenceEnd() override { close(); }

  void OnMapStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    stack_.push_back({Node::Kind::kMap, to_mark(mark), explicit_tag(tag), anchor, {}, {}, {}});
  }
  void OnMapEnd() override { close(); }

 private:
  struct Frame {
    Node::Kind kind;
    Mark mark;
    std::string tag;
    YAML::anchor_t anchor;
    std::vector<Node> items;
    std::vector<std::pair<Node, Node>> entries;
    std::optional<Node> pending_key;
  };

  void close() {
    Frame f = std::move(stack_.back());
    stack_.pop_back();
    Node n = f.kind == Node::Kind::kMap ? Node::map(std::move(f.entries), f.mark, f.tag)
                                        : Node::sequence(std::move(f.items), f.mark, f.tag);
    add(std::move(n), f.anchor);
  }

  void add(Node n, YAML::anchor_t anchor) {
    if (error_) return;
    if (anchor != 0) anchors_[anchor] = n;
    if (stack_.empty()) {
      root_ = std::move(n);
      return;
    }
    Frame& top = stack_.back();
    if (top.kind == Node::Kind::kSequence) {
      top.items.push_back(std::move(n));
    } else if (!top.pending_key) {
      for (const auto& [k, v] : top.entries) {
        if (same_key(k, n)) {
          fail(n.mark(), "duplicate key " + describe_key(n) + " (first defined on line " +
                             std::to_string(k.mark().line) + ")");
          return;
        }
      }
      top.pending_key = std::move(n);
    } else {
      top.entries.emplace_back(std::move(*top.pending_key), std::move(n));
      top.pending_key.reset();
    }
  }

  void fail(Mark mark, const std::string& message) {
    if (error_) return;
    error_ = Error(ErrorKind::kInvalidInput, source_ + ":" + std::to_string(mark.line) + ":" +
                                                 std::to_string(mark.column) + ": " + message);
  }

  const std::string& source_;
  std::vector<Frame> stack_;
  std::map<YAML::anchor_t, Node> anchors_;
  std::optional<Node> root_;
  std::optional<Error> error_;
};

}  // namespace

Result<Node> parse(std::string_view text, const std::string& source_name) {
  std::istringstream in{std::string(text)};
  try {
    YAML::Parser parser(in);
    TreeBuilder builder(source_name);
    if (!parser.HandleNextDocument(builder)) return Node::null({1, 1});
    if (builder.error()) return *builder.error();
    Node root = builder.root() ? std::move(*builder.root()) : Node::null({1, 1});
    TreeBuilder rest(source_name);
    if (parser.HandleNextDocument(rest)) {
      Mark m = rest.root() ? rest.root()->mark() : Mark{};
      return Error(ErrorKind::kInvalidInput, source_name + ":" + std::to_string(m.line) + ":" +
                                                 std::to_string(m.column) +
                                                 ": expected a single document, found another");
    }
    return root;
  } catch (const YAML::Exception& e) {
    Mark m = to_mark(e.mark);
    return Error(ErrorKind::kInvalidInput, source_name + ":" + std::to_string(m.line) + ":" +
                                               std::to_string(m.column) + ": " + e.msg);
  }
}

Result<Node> load_file(const std::string& path) {
  auto text = read_file(path);
  if (!text) return text.error();
  return parse(*text, path);
}

}  // namespace fleetk8s::yaml
