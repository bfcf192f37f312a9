import { useLoad } from './useLoad'
import { useApi } from './session'

/** Source names by id, to show "nto-web" rather than "src_…"; ids until they load. */
export function useSourceNames(): (id: string) => string {
  const api = useApi()
  const { data } = useLoad((signal) => api.sources(signal), [api])
  return (id: string) => data?.find((s) => s.id === id)?.name ?? id
}
