// Reading the 2023 reference CSVs (only their simple, unquoted leading columns).
#include <fstream>
#include <map>
#include <sstream>

#include "generator.h"

namespace ballotbox::generator {

namespace {

error bad(const std::string& what) {
    return make_error("generator.bad_reference_data", what);
}

result<std::vector<std::vector<std::string>>> read_csv(const std::filesystem::path& path,
                                                       std::size_t columns) {
    std::ifstream in(path);
    if (!in)
        return bad("Cannot read " + path.string() + ".");
    std::vector<std::vector<std::string>> rows;
    std::string line;
    bool header = true;
    while (std::getline(in, line)) {
        if (header) {
            header = false;
            continue;
        }
        std::vector<std::string> fields;
        std::size_t pos = 0;
        while (fields.size() < columns) {
            auto comma = line.find(',', pos);
            fields.push_back(
                line.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos));
            if (comma == std::string::npos)
                break;
            pos = comma + 1;
        }
        if (fields.size() < columns)
            return bad(path.string() + ": a line has fewer than " + std::to_string(columns) +
                       " columns.");
        rows.push_back(std::move(fields));
    }
    return rows;
}

result<std::int64_t> number(const std::string& s) {
    if (s.empty() || s.size() > 15)
        return bad("\"" + s + "\" is not a count.");
    std::int64_t n = 0;
    for (char c : s) {
        if (c < '0' || c > '9')
            return bad("\"" + s + "\" is not a count.");
        n = n * 10 + (c - '0');
    }
    return n;
}

std::string option_id(std::string name) {
    for (auto& c : name)
        c = c == ' ' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return name;
}

}  // namespace

result<generator_options> kz_2023_options(const std::filesystem::path& dir) {
    generator_options o;
    BALLOTBOX_ASSIGN_OR_RETURN(auto parties, read_csv(dir / "parties.csv", 2));
    BALLOTBOX_ASSIGN_OR_RETURN(auto national, read_csv(dir / "national-party-list.csv", 2));
    BALLOTBOX_ASSIGN_OR_RETURN(auto regions, read_csv(dir / "districts-per-region.csv", 2));
    std::map<std::string, std::int64_t> votes;
    for (const auto& row : national) {
        BALLOTBOX_ASSIGN_OR_RETURN(auto v, number(row[1]));
        if (row[0] == "Against all")
            o.against_all = v;
        else
            votes[row[0]] = v;
    }
    for (const auto& row : parties) {  // ballot order
        auto it = votes.find(row[1]);
        if (it == votes.end())
            return bad("Party \"" + row[1] + "\" has no line in national-party-list.csv.");
        o.parties.push_back(party_total{option_id(row[1]), row[1], it->second});
    }
    for (const auto& row : regions) {
        BALLOTBOX_ASSIGN_OR_RETURN(auto d, number(row[1]));
        o.regions.push_back(region_districts{row[0], static_cast<int>(d)});
    }
    // README.md of the reference data: registered voters and invalid/blank ballots.
    o.voters_on_lists = 12035578;
    o.blank = 158046;
    return o;
}

}  // namespace ballotbox::generator
