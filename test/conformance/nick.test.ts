import { nickConformance } from './nick.cases'
import { simulatedTarget } from './target'

nickConformance(simulatedTarget('nick'))
