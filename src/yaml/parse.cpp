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
#include <unordered_map>

#include <yaml-cpp/depthguard.h>
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

// Hostile documents must not exhaust memory or the stack. Aliases are
// expanded into copies, so "billion laughs" (each level aliasing the one
// before several times) would grow exponentially: copies made for aliases
// and anchors are counted and limited. Nesting is limited too, since the
// tree is walked recursively: below yaml-cpp's own limit (about 500 levels,
// reported as "bad file"), so the message says what is wrong.
constexpr size_t kMaxCopiedNodes = 1'000'000;
constexpr size_t kMaxDepth = 256;

// Thrown by the builder to stop the parse at its first error.
struct Stop {};

// Builds the tree from events. Stops (throws Stop) at the first semantic
// error: a duplicate key, an unknown alias, or a limit reached.
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
    if (it == anchors_.end()) fail(to_mark(mark), "alias to an unknown anchor");
    copy(it->second.size, to_mark(mark));
    add(it->second.node, 0, it->second.size);
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    add(Node::scalar(value, tag == "!", to_mark(mark), explicit_tag(tag)), anchor);
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    open(Node::Kind::kSequence, to_mark(mark), tag, anchor);
  }
  void OnSequenceEnd() override { close(); }

  void OnMapStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    open(Node::Kind::kMap, to_mark(mark), tag, anchor);
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
    size_t size = 1;  // nodes in the tree so far, this one included
    // Lines of the scalar (and null) keys so far, to find duplicates.
    std::unordered_map<std::string, int> scalar_keys;
    std::optional<int> null_key;
  };

  struct Anchored {
    Node node;
    size_t size = 0;  // nodes in the tree under `node`, itself included
  };

  void open(Node::Kind kind, Mark mark, const std::string& tag, YAML::anchor_t anchor) {
    if (stack_.size() >= kMaxDepth) {
      fail(mark, "nested deeper than " + std::to_string(kMaxDepth) + " levels");
    }
    Frame f;
    f.kind = kind;
    f.mark = mark;
    f.tag = explicit_tag(tag);
    f.anchor = anchor;
    stack_.push_back(std::move(f));
  }

  void close() {
    Frame f = std::move(stack_.back());
    stack_.pop_back();
    Node n = f.kind == Node::Kind::kMap ? Node::map(std::move(f.entries), f.mark, f.tag)
                                        : Node::sequence(std::move(f.items), f.mark, f.tag);
    add(std::move(n), f.anchor, f.size);
  }

  // Accounts for `size` more copied nodes.
  void copy(size_t size, Mark mark) {
    copied_ += size;
    if (copied_ > kMaxCopiedNodes) {
      fail(mark, "aliases expand to more than " + std::to_string(kMaxCopiedNodes) + " nodes");
    }
  }

  // Adds a finished node of `size` nodes to its parent (or as the root).
  void add(Node n, YAML::anchor_t anchor, size_t size = 1) {
    if (anchor != 0) {
      copy(size, n.mark());
      anchors_[anchor] = Anchored{n, size};
    }
    if (stack_.empty()) {
      root_ = std::move(n);
      return;
    }
    Frame& top = stack_.back();
    top.size += size;
    if (top.kind == Node::Kind::kSequence) {
      top.items.push_back(std::move(n));
    } else if (!top.pending_key) {
      check_new_key(top, n);
      top.pending_key = std::move(n);
    } else {
      top.entries.emplace_back(std::move(*top.pending_key), std::move(n));
      top.pending_key.reset();
    }
  }

  void check_new_key(Frame& map, const Node& key) {
    std::optional<int> first;
    if (key.is_null()) {
      first = map.null_key;
      if (!first) map.null_key = key.mark().line;
    } else if (key.is_scalar()) {
      auto [it, added] = map.scalar_keys.emplace(key.scalar(), key.mark().line);
      if (!added) first = it->second;
    }
    if (first) {
      fail(key.mark(), "duplicate key " + describe_key(key) + " (first defined on line " +
                           std::to_string(*first) + ")");
    }
  }

  [[noreturn]] void fail(Mark mark, const std::string& message) {
    error_ = Error(ErrorKind::kInvalidInput, source_ + ":" + std::to_string(mark.line) + ":" +
                                                 std::to_string(mark.column) + ": " + message);
    throw Stop();
  }

  const std::string& source_;
  std::vector<Frame> stack_;
  std::map<YAML::anchor_t, Anchored> anchors_;
  size_t copied_ = 0;
  std::optional<Node> root_;
  std::optional<Error> error_;
};

}  // namespace

Result<Node> parse(std::string_view text, const std::string& source_name) {
  std::istringstream in{std::string(text)};
  try {
    YAML::Parser parser(in);
    TreeBuilder builder(source_name);
    try {
      if (!parser.HandleNextDocument(builder)) return Node::null({1, 1});
    } catch (const Stop&) {
      return *builder.error();
    }
    Node root = builder.root() ? std::move(*builder.root()) : Node::null({1, 1});
    TreeBuilder rest(source_name);
    bool another = false;
    try {
      another = parser.HandleNextDocument(rest);
    } catch (const Stop&) {
      another = true;  // it has content, whatever its errors
    }
    if (another) {
      Mark m = rest.root() ? rest.root()->mark() : Mark{};
      return Error(ErrorKind::kInvalidInput, source_name + ":" + std::to_string(m.line) + ":" +
                                                 std::to_string(m.column) +
                                                 ": expected a single document, found another");
    }
    return root;
  } catch (const YAML::DeepRecursion& e) {
    Mark m = to_mark(e.mark);
    return Error(ErrorKind::kInvalidInput, source_name + ":" + std::to_string(m.line) + ":" +
                                               std::to_string(m.column) + ": nested too deeply");
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
