/**
 * Empties the deduplication windows of persons without recent events, so that a user's state
 * goes back to its size without ids once the window has passed since their newest id (their next
 * event prunes them too, but most users have no next event soon).
 *
 * Safe by the receipt watermark (core/receipt-watermark.ts): no event still to come was received
 * before `watermarkS`, so an id received more than the window before it can no longer be
 * repeated within the window, and dropping it changes no decision. The pruned person is written
 * to the changelog like any change (without moving its input offset), so a restore brings back
 * the pruned window, not the full one.
 *
 * Cost: a cursor walks the partition's keys, least recently written first, and stays where it
 * stopped. Every key behind it had an empty window when passed, or has been written since, which
 * moved it to the back, ahead of the cursor again. So each write is met about once (and a prune,
 * itself a write, once more, as empty), however many idle users the partition holds; a sweep from
 * the front of all keys would pass the same emptied users again and again.
 */
import type { PartitionState } from '@opstream/runtime/state-store'
import { newestSecond, pruneSeen } from '../core/dedup-window.ts'
import type { PersonState } from '../core/person-profile.ts'

export interface WindowSweeper {
  /**
   * Walks on from where the last sweep stopped, at most `budget` persons: a window with ids past
   * the horizon is pruned (the person written), an empty one is passed; the first person whose
   * newest id is still within the window ends the walk and is met first next time, since nearly
   * everyone behind it was written later. Returns the persons pruned.
   */
  sweep(state: PartitionState<PersonState>, watermarkS: number, windowS: number, budget: number): number
}

export function createWindowSweeper(): WindowSweeper {
  // Tied to one partition state: a state restored anew (after a rebalance) starts a new walk.
  let walking: PartitionState<PersonState> | undefined
  let cursor: Iterator<string> | undefined
  let held: { key: string; newest: number } | undefined
  const next = (state: PartitionState<PersonState>): string | undefined => {
    if (walking !== state || cursor === undefined) {
      walking = state
      cursor = state.keys()
    }
    const step = cursor.next()
    // At the end a Map's iterator stays ended: the next walk starts at the front again (only a
    // partition whose every window is empty gets there).
    if (step.done) cursor = undefined
    return step.done ? undefined : step.value
  }
  // The person the last walk stopped at, met first by the next one, unless it has received an id
  // since: then it was written, and the cursor meets it again at the back.
  const heldBack = (state: PartitionState<PersonState>): [string, PersonState] | undefined => {
    const h = held
    held = undefined
    if (h === undefined || walking !== state) return undefined
    const person = state.get(h.key)
    return person && newestSecond(person.seen) === h.newest ? [h.key, person] : undefined
  }
  return {
    sweep(state, watermarkS, windowS, budget) {
      if (budget <= 0) return 0
      let pruned = 0
      let first = heldBack(state)
      for (let walked = 0; walked < budget; walked++) {
        const key = first?.[0] ?? next(state)
        if (key === undefined) break
        const person = first?.[1] ?? state.get(key)
        first = undefined
        const newest = person ? newestSecond(person.seen) : null
        if (!person || newest === null) continue
        if (watermarkS - newest <= windowS) {
          held = { key, newest }
          break
        }
        state.update(key, { ...person, seen: pruneSeen(person.seen, watermarkS, windowS) })
        pruned++
      }
      return pruned
    },
  }
}
