package netsim

import (
	"container/heap"
	"sync"
	"time"
)

// item is one copy waiting to leave.
type item struct {
	ready time.Duration // on the relay's clock
	seq   uint64        // arrival order, to break ties in ready
	pos   int           // its packet's position in the log
	copy  int           // which copy of the packet
	up    *upstream
	data  []byte
}

// queue holds one direction's copies that wait for their delay or for the
// link, earliest ready first.
type queue struct {
	rate     int           // bytes per second; 0: unlimited
	wake     chan struct{} // size 1: "the earliest item may have changed"
	linkFree time.Duration // when the link can start the next copy (scheduler only)

	mu    sync.Mutex
	items itemHeap
	seq   uint64
}

func newQueue(rate int) *queue {
	return &queue{rate: rate, wake: make(chan struct{}, 1)}
}

func (q *queue) push(it *item) {
	q.mu.Lock()
	it.seq = q.seq
	q.seq++
	heap.Push(&q.items, it)
	q.mu.Unlock()
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

// next pops the earliest item if it is ready at now; otherwise it returns how
// long until the earliest is ready, or -1 when the queue is empty.
func (q *queue) next(now time.Duration) (*item, time.Duration) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.items) == 0 {
		return nil, -1
	}
	if first := q.items[0]; first.ready > now {
		return nil, first.ready - now
	}
	return heap.Pop(&q.items).(*item), 0
}

// drain empties the queue and returns what it held.
func (q *queue) drain() []*item {
	q.mu.Lock()
	defer q.mu.Unlock()
	its := []*item(q.items)
	q.items = nil
	return its
}

// schedule sends one direction's queued copies when they are due, one at a
// time through the rate limit, until Close.
func (r *Relay) schedule(d Direction) {
	q := r.queues[d]
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	for {
		it, wait := q.next(r.now())
		if it != nil {
			if q.rate > 0 {
				depart := max(it.ready, q.linkFree)
				// The link is busy while the copy's bytes go out. Count from the
				// planned departure, not the real one, so that timer lateness
				// does not add up.
				q.linkFree = depart + time.Duration(int64(len(it.data))*int64(time.Second)/int64(q.rate))
				if !r.sleepUntil(timer, depart) {
					q.push(it) // Close will discard it
					return
				}
			}
			r.send(d, it)
			continue
		}
		var due <-chan time.Time
		if wait > 0 {
			timer.Reset(wait)
			due = timer.C
		}
		select {
		case <-q.wake:
		case <-due:
		case <-r.done:
			timer.Stop()
			return
		}
		timer.Stop()
	}
}

// sleepUntil waits until the relay's clock reads t; false when the relay
// closed first.
func (r *Relay) sleepUntil(timer *time.Timer, t time.Duration) bool {
	wait := t - r.now()
	if wait <= 0 {
		return true
	}
	timer.Reset(wait)
	defer timer.Stop()
	select {
	case <-timer.C:
		return true
	case <-r.done:
		return false
	}
}

// itemHeap orders items by ready time, then arrival.
type itemHeap []*item

func (h itemHeap) Len() int { return len(h) }
func (h itemHeap) Less(i, j int) bool {
	if h[i].ready != h[j].ready {
		return h[i].ready < h[j].ready
	}
	return h[i].seq < h[j].seq
}
func (h itemHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *itemHeap) Push(x any)   { *h = append(*h, x.(*item)) }
func (h *itemHeap) Pop() any {
	old := *h
	it := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	return it
}
