package engine

import (
	"fmt"

	"careflow/engine/event"
	"careflow/flow"
)

type resumePoint struct {
	run  *Run
	node *flow.Node
	exit *flow.Exit
}

// loop is the main execution loop of flows.md §9.5.
func (s *Session) loop(from *resumePoint) error {
	var current *Run
	var exit *flow.Exit
	if from != nil {
		current, exit = from.run, from.exit
	} else {
		current = s.currentRun()
	}
	for {
		var dest *flow.Node
		switch {
		case s.pushed != nil:
			p := s.pushed
			s.pushed = nil
			if len(s.Runs) >= s.eng.MaxRunsPerSession {
				current.fail(fmt.Sprintf("Reached maximum number of runs per session (%d)", s.eng.MaxRunsPerSession))
				break
			}
			if p.terminal {
				for i := len(s.Runs) - 1; i >= 0; i-- {
					if !s.Runs[i].Exited() {
						s.Runs[i].exit(RunCompleted)
					}
				}
			}
			current = s.startRun(p)
			if len(p.flow.Nodes) > 0 {
				dest = p.flow.Nodes[0]
			}
		case exit != nil:
			if exit.DestinationUUID != "" && current.flow != nil {
				dest = current.flow.Node(exit.DestinationUUID)
				s.sprint.Segments = append(s.sprint.Segments, &Segment{
					FlowUUID: current.flow.UUID, NodeUUID: s.lastNode, ExitUUID: exit.UUID,
					Operand: s.lastOperand, DestinationUUID: exit.DestinationUUID, Time: s.now(),
				})
			}
			exit = nil
		}
		s.lastOperand = ""

		if dest == nil {
			if current == nil {
				s.Status = SessionCompleted
				return nil
			}
			if !current.Exited() {
				current.exit(RunCompleted)
			}
			parent := current.parent
			if parent != nil && parent.Status == RunActive {
				child := current
				current = parent
				if child.Status == RunFailed {
					current.exit(RunFailed)
					continue
				}
				if current.flow == nil {
					current.fail("Can't resume run with missing flow asset")
					continue
				}
				step := current.LastStep()
				var node *flow.Node
				if step != nil {
					node = current.flow.Node(step.NodeUUID)
				}
				if node == nil {
					current.fail("Can't resume run as node no longer exists")
					continue
				}
				e, err := s.route(current, node, false)
				if err != nil {
					return err
				}
				exit = e
				continue
			}
			if current.Status == RunFailed {
				s.Status = SessionFailed
			} else {
				s.Status = SessionCompleted
			}
			return nil
		}

		s.steps++
		if s.steps > s.eng.MaxStepsPerSprint {
			current.fail(fmt.Sprintf("Reached maximum number of steps per sprint (%d)", s.eng.MaxStepsPerSprint))
			continue
		}
		e, err := s.visit(current, dest)
		if err != nil {
			return err
		}
		if s.Status == SessionWaiting {
			return nil
		}
		exit = e
	}
}

// startRun creates a run for a pushed flow and logs run_started.
func (s *Session) startRun(p *pushedFlow) *Run {
	now := s.now()
	r := &Run{session: s, flow: p.flow, parent: p.parent, Status: RunActive, CreatedOn: now, ModifiedOn: now,
		FlowRef: p.flow.Reference(true)}
	r.UUID = s.eng.UUIDs.NewV7()
	parentUUID := ""
	if p.parent != nil {
		r.ParentUUID = p.parent.UUID
		parentUUID = p.parent.UUID
	} else if s.parent != nil && len(s.Runs) == 0 {
		parentUUID = s.parent.uuid
	}
	s.Runs = append(s.Runs, r)
	s.Log(event.NewRunStarted(r.FlowRef, r.UUID, parentUUID, p.terminal))
	return r
}

// PushFlow asks for a child run of the given flow once the current node's actions are done.
func (r *Run) PushFlow(f *flow.Flow, terminal bool) {
	r.session.pushed = &pushedFlow{flow: f, parent: r, terminal: terminal}
}

// visit enters a node: step, actions, wait, routing.
func (s *Session) visit(run *Run, node *flow.Node) (*flow.Exit, error) {
	now := s.now()
	s.lastNode = node.UUID
	run.Path = append(run.Path, &Step{NodeUUID: node.UUID, ArrivedOn: now})
	run.ModifiedOn = now
	run.stateGen++
	s.changed()
	triggerAnswer := s.triggerInputUnused && s.Input != nil && len(s.Runs) > 0 && run == s.Runs[0] && len(run.Path) == 1
	if triggerAnswer {
		run.RecordInput()
	}
	for _, a := range node.Actions {
		if err := executeAction(run, node, a); err != nil {
			return nil, err
		}
		if run.Exited() {
			return nil, nil
		}
	}
	if s.pushed != nil {
		return nil, nil
	}
	if node.Router != nil && node.Router.Wait != nil && !triggerAnswer {
		if begin := waitBegins(run, node.Router.Wait); begin {
			run.setStatus(RunWaiting)
			s.Status = SessionWaiting
			return nil, nil
		}
	}
	return s.route(run, node, false)
}

// route picks the exit of a node; timeout routes to the wait's timeout category.
func (s *Session) route(run *Run, node *flow.Node, timeout bool) (*flow.Exit, error) {
	router := node.Router
	if router == nil {
		if len(node.Exits) == 0 {
			return nil, nil
		}
		return node.Exits[0], nil
	}
	var rt *Route
	if timeout && router.Wait != nil && router.Wait.Timeout != nil {
		rt = &Route{Category: router.Category(router.Wait.Timeout.CategoryUUID)}
	} else {
		fn := routers[router.Type]
		if fn == nil {
			return nil, fmt.Errorf("no router registered for type %s", router.Type)
		}
		var err error
		rt, err = fn(run, node, router)
		if err != nil {
			return nil, err
		}
	}
	if rt == nil || rt.Category == nil {
		run.fail("Router failed to pick a category")
		return nil, nil
	}
	s.lastOperand = rt.Operand
	if router.ResultName != "" {
		localized := run.LocalizeCategory(rt.Category)
		run.SaveResult(router.ResultName, rt.Match, rt.Category.Name, localized, node.UUID, rt.Operand, rt.Extra)
	}
	return node.Exit(rt.Category.ExitUUID), nil
}
