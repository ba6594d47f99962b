// Typed, bounded access to members of a parsed JSON document, with errors that name the
// member's path ("package.station.voters_on_list: expected an integer"), so a refused file
// tells its reader exactly what to fix. Used by the election-package parser and by other
// parsers of documents from outside. Pure; thread-safe.
#pragma once

#include <boost/json/value.hpp>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"

namespace ballotbox::election {

class json_fields {
  public:
    // error_code is the code every error of this reader carries, e.g. "election.bad_package".
    json_fields(const boost::json::value& value, std::string path, std::string error_code);

    bool is_object() const { return value_.is_object(); }
    const std::string& path() const { return path_; }

    // Refuses members other than the listed ones (a typo must not be silently ignored).
    status only_members(std::initializer_list<std::string_view> allowed) const;

    bool has(std::string_view key) const;
    result<json_fields> object(std::string_view key) const;
    result<const boost::json::array*> array(std::string_view key, std::size_t min_size,
                                            std::size_t max_size) const;
    result<std::string> string(std::string_view key, std::size_t max_bytes) const;
    // An identifier: 1..64 of [a-z0-9-], starting with a letter or digit.
    result<std::string> identifier(std::string_view key) const;
    result<std::int64_t> integer(std::string_view key, std::int64_t min, std::int64_t max) const;
    result<bool> boolean(std::string_view key) const;

    // The reader of element `index` of the array member `array_key`.
    json_fields element(std::string_view array_key, const boost::json::value& v,
                        std::size_t index) const;
    error fail(std::string_view key, const std::string& what) const;

  private:
    result<const boost::json::value*> member(std::string_view key) const;
    const boost::json::value& value_;
    std::string path_;
    std::string error_code_;
};

}  // namespace ballotbox::election
