#include "protocol/nist_json.h"

namespace ballotbox::protocol {
namespace json = boost::json;

json::object nist_text(const election::multilingual_name& name) {
    json::array texts;
    auto add = [&](const char* language, const std::string& content) {
        if (!content.empty())
            texts.push_back(json::object{{"@type", "ElectionResults.LanguageString"},
                                         {"Content", content},
                                         {"Language", language}});
    };
    add("kk", name.kk);
    add("ru", name.ru);
    add("en", name.en);
    return json::object{{"@type", "ElectionResults.InternationalizedText"},
                        {"Text", std::move(texts)}};
}

json::object nist_vote_count(std::int64_t count, const std::string& gp_unit_id) {
    return json::object{{"@type", "ElectionResults.VoteCounts"},
                        {"Count", count},
                        {"GpUnitId", gp_unit_id},
                        {"Type", "total"}};
}

}  // namespace ballotbox::protocol
