// This folder holds the npm install of the pinned cht-conf (package.json, package-lock.json)
// for careflow's interop test, which lives in cmd/careflow. This go.mod only keeps the
// folder, and any Go sources npm packages ship in node_modules, out of the careflow module.
module careflow-chtconf-npm

go 1.26.0
