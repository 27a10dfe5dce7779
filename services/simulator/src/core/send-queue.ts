/**
 * Messages waiting for their send time, earliest first and in the order they were made when
 * equal (a binary heap): a journey is made at its start and holds messages for hours or weeks
 * ahead, and late messages go out after later ones.
 */
import type { Outgoing } from './journeys.ts'

export function createSendQueue() {
  const heap: Outgoing[] = []
  // Equal send times leave in the order they came (a journey's install before its first page).
  const order = new WeakMap<Outgoing, number>()
  let pushed = 0
  const less = (a: number, b: number) => {
    const x = heap[a] as Outgoing
    const y = heap[b] as Outgoing
    return x.sendAt < y.sendAt || (x.sendAt === y.sendAt && (order.get(x) ?? 0) < (order.get(y) ?? 0))
  }
  const swap = (a: number, b: number) => {
    const x = heap[a] as Outgoing
    heap[a] = heap[b] as Outgoing
    heap[b] = x
  }
  return {
    get size() {
      return heap.length
    },
    push(o: Outgoing): void {
      order.set(o, pushed++)
      heap.push(o)
      for (let i = heap.length - 1; i > 0; ) {
        const up = (i - 1) >> 1
        if (!less(i, up)) break
        swap(i, up)
        i = up
      }
    },
    /** Takes every message due before `until`, in order of send time. */
    takeDue(until: number, max = Number.POSITIVE_INFINITY): Outgoing[] {
      const due: Outgoing[] = []
      while (heap.length > 0 && (heap[0] as Outgoing).sendAt < until && due.length < max) {
        due.push(heap[0] as Outgoing)
        const last = heap.pop() as Outgoing
        if (heap.length === 0) break
        heap[0] = last
        for (let i = 0; ; ) {
          const l = 2 * i + 1
          const r = l + 1
          let m = i
          if (l < heap.length && less(l, m)) m = l
          if (r < heap.length && less(r, m)) m = r
          if (m === i) break
          swap(i, m)
          i = m
        }
      }
      return due
    },
  }
}
