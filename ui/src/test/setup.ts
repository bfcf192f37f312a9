import '@testing-library/jest-dom/vitest'
import { cleanup, configure } from '@testing-library/react'
import { afterEach } from 'vitest'

// findBy* and waitFor give up after 1 s by default; on a busy 2-core CI
// machine a view with a canvas can take longer to render its first state
// (the journey editor missed it once while a benchmark held a core). A
// missing element still fails the test, only later.
configure({ asyncUtilTimeout: 5000 })

afterEach(() => {
  cleanup()
})
