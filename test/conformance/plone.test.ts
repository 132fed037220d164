import { ploneConformance } from './plone.cases'
import { simulatedTarget } from './target'

ploneConformance(simulatedTarget('plone'))
